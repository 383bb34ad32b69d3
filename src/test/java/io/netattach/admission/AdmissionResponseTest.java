package io.netattach.admission;

import io.netattach.validation.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionResponseTest {

    @Test
    void noErrorsAllowsWithWarningsAsPathAndMessage() {
        AdmissionResponse r = AdmissionResponse.fromFindings("NetworkAttachmentDefinition ns/a", List.of(
                Finding.warning("/spec/config/cniVersion", "cniVersion is missing: 0.1.0 is assumed")));
        assertTrue(r.allowed());
        assertNull(r.status());
        assertEquals(List.of("/spec/config/cniVersion: cniVersion is missing: 0.1.0 is assumed"), r.warnings());
    }

    @Test
    void errorsDenyWithEveryErrorInTheMessageAndAsCauses() {
        AdmissionResponse r = AdmissionResponse.fromFindings("NetworkAttachmentDefinition ns/a", List.of(
                Finding.error("/spec/config/plugins/0/type", "type \"../macvlan\" is a path"),
                Finding.warning("/spec/config/name", "name \"x\" differs from the NAD name \"a\""),
                Finding.error("/spec/config/cniVersion", "cniVersion \"2.0.0\" is not a CNI version")));
        assertFalse(r.allowed());
        assertEquals(403, r.status().code());
        assertEquals("Forbidden", r.status().reason());
        assertEquals("NetworkAttachmentDefinition ns/a is invalid (2 errors): "
                + "/spec/config/plugins/0/type: type \"../macvlan\" is a path; "
                + "/spec/config/cniVersion: cniVersion \"2.0.0\" is not a CNI version", r.status().message());
        assertEquals(2, r.status().causes().size());
        assertEquals("/spec/config/cniVersion", r.status().causes().get(1).field());
        assertEquals(List.of("/spec/config/name: name \"x\" differs from the NAD name \"a\""), r.warnings());
    }

    @Test
    void rootPathIsShownAsSlash() {
        AdmissionResponse r = AdmissionResponse.fromFindings("X", List.of(Finding.error("", "not an object")));
        assertEquals("X is invalid (1 error): /: not an object", r.status().message());
    }

    @Test
    void warningsAreCleanedToKubernetesLength() {
        AdmissionResponse r = AdmissionResponse.allow(List.of("w".repeat(500)));
        assertEquals(120, r.warnings().get(0).length());
    }

    @Test
    void patchMustBeAnArray() {
        assertThrows(IllegalArgumentException.class,
                () -> AdmissionResponse.allow().withPatch(Reviews.JSON.createObjectNode()));
        assertTrue(AdmissionResponse.allow().withPatch(Reviews.JSON.createArrayNode()).allowed());
    }
}
