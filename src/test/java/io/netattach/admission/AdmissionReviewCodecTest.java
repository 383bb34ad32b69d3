package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netattach.admission.AdmissionReviewCodec.Decoded;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdmissionReviewCodecTest {

    private static Decoded decode(String json) {
        return AdmissionReviewCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesTheApiServerReview() {
        Decoded.Review review = assertInstanceOf(Decoded.Review.class, decode(Https.resource(Reviews.MANAGEMENT_CREATE)));
        AdmissionRequest r = review.request();
        assertEquals("admission.k8s.io/v1", review.apiVersion());
        assertEquals("0f7c8a3e-2b4d-4d7e-9a51-7c2e6b1d9f40", r.uid());
        assertEquals(Operation.CREATE, r.operation());
        assertEquals("k8s.cni.cncf.io", r.group());
        assertEquals("v1", r.version());
        assertEquals("NetworkAttachmentDefinition", r.kind());
        assertEquals("chain-example", r.namespace());
        assertEquals("management-net", r.name());
        assertEquals("chain-example/management-net", r.displayName());
        assertEquals("management-net", r.object().path("metadata").path("name").asText());
        assertTrue(r.oldObject().isMissingNode());
        assertFalse(r.dryRun());
        assertSame(r.raw().get("object"), r.object(), "the object is the request's own tree, untouched");
    }

    @Test
    void rejectionListsEveryProblem() {
        Decoded.Rejected rejected = assertInstanceOf(Decoded.Rejected.class,
                decode("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"request\":{\"operation\":\"PATCH\",\"object\":\"x\"}}"));
        String m = rejected.message();
        for (String expected : List.of("apiVersion \"v1\" is not supported", "kind \"Pod\" is not an AdmissionReview",
                "request.uid is missing", "request.operation \"PATCH\" is not one of", "request.object must be an object or null, got a string")) {
            assertTrue(m.contains(expected), () -> "missing \"" + expected + "\" in: " + m);
        }
    }

    @Test
    void longValuesAreShortenedInMessages() {
        Decoded.Rejected rejected = assertInstanceOf(Decoded.Rejected.class,
                decode("{\"apiVersion\":\"" + "v".repeat(1000) + "\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\"}}"));
        assertTrue(rejected.message().length() < 300, rejected.message());
    }

    @Test
    void encodesDenialWithStatusWarningsAndEchoes() throws Exception {
        Decoded.Review review = (Decoded.Review) decode(Https.resource(Reviews.MANAGEMENT_CREATE));
        AdmissionResponse response = AdmissionResponse.deny("no").withWarnings(List.of("careful"));
        JsonNode json = Reviews.JSON.readTree(AdmissionReviewCodec.encode(review, response));
        assertEquals("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
                + "\"uid\":\"0f7c8a3e-2b4d-4d7e-9a51-7c2e6b1d9f40\",\"allowed\":false,"
                + "\"status\":{\"status\":\"Failure\",\"message\":\"no\",\"reason\":\"Forbidden\",\"code\":403},"
                + "\"warnings\":[\"careful\"]}}", json.toString());
    }

    @Test
    void encodesPatchAsBase64JsonPatch() throws Exception {
        Decoded.Review review = (Decoded.Review) decode(Https.resource(Reviews.MANAGEMENT_CREATE));
        ArrayNode patch = Reviews.JSON.createArrayNode();
        patch.addObject().put("op", "add").put("path", "/metadata/annotations/k8s.v1.cni.cncf.io~1networks").put("value", "x");
        JsonNode json = Reviews.JSON.readTree(AdmissionReviewCodec.encode(review, AdmissionResponse.allow().withPatch(patch)));
        JsonNode response = json.path("response");
        assertEquals("JSONPatch", response.path("patchType").asText());
        JsonNode decoded = Reviews.JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        assertEquals(patch, decoded);
    }
}
