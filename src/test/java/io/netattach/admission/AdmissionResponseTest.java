package io.netattach.admission;

import io.netattach.cni.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionResponseTest {

    @Test
    void noErrorsAllowsWithWarningsLeadingWithTheReason() {
        AdmissionResponse r = AdmissionResponse.fromFindings("NetworkAttachmentDefinition ns/a", List.of(
                Finding.warning("/spec/config/cniVersion", "cniVersion is missing: 0.1.0 is assumed")));
        assertTrue(r.allowed());
        assertNull(r.status());
        assertEquals(List.of("cniVersion is missing: 0.1.0 is assumed (at /spec/config/cniVersion)"), r.warnings());
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
        assertEquals(List.of("name \"x\" differs from the NAD name \"a\" (at /spec/config/name)"), r.warnings());
    }

    @Test
    void rootPathIsShownAsSlash() {
        AdmissionResponse r = AdmissionResponse.fromFindings("X", List.of(Finding.error("", "not an object")));
        assertEquals("X is invalid (1 error): /: not an object", r.status().message());
    }

    @Test
    void warningsAreCleanedToKubernetesLength() {
        AdmissionResponse r = AdmissionResponse.allow(List.of("w".repeat(500)));
        assertEquals(Warnings.MAX_LENGTH, r.warnings().get(0).length());
        assertTrue(r.warnings().get(0).endsWith("..."));
    }

    @Test
    void manyWarningsAreCappedWithACount() {
        List<String> many = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "warning " + i).toList();
        List<String> sent = AdmissionResponse.allow(many).warnings();
        assertEquals(AdmissionResponse.MAX_WARNINGS, sent.size());
        assertEquals("warning 28", sent.get(28));
        assertEquals("... and 71 more warnings", sent.get(29));
    }

    @Test
    void manyErrorsAreListedUpToTheCapThenCounted() {
        List<Finding> errors = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> Finding.error("/spec/config/plugins/" + i + "/type", "bad " + i)).toList();
        AdmissionResponse r = AdmissionResponse.fromFindings("X", errors);
        assertTrue(r.status().message().startsWith("X is invalid (25 errors): /spec/config/plugins/0/type: bad 0; "),
                r.status().message());
        assertTrue(r.status().message().endsWith("/spec/config/plugins/19/type: bad 19; ... and 5 more errors"),
                r.status().message());
        assertEquals(AdmissionResponse.MAX_LISTED_ERRORS, r.status().causes().size());
    }

    @Test
    void blankWarningsAreDropped() {
        assertEquals(List.of("kept"), AdmissionResponse.allow(List.of(" \n", "kept", "")).warnings());
    }

    @Test
    void patchMustBeAnArray() {
        assertThrows(IllegalArgumentException.class,
                () -> AdmissionResponse.allow().withPatch(Reviews.JSON.createObjectNode()));
        assertTrue(AdmissionResponse.allow().withPatch(Reviews.JSON.createArrayNode()).allowed());
    }
}
