package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /validate/pods} over real HTTPS, standalone (catalog: {@code deploy/examples}). */
@QuarkusTest
class PodValidationEndpointTest {

    private static final String PATH = PodValidationHandler.PATH;
    private static final String KEY = "k8s.v1.cni.cncf.io/networks";

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private static ObjectNode review(String networks) {
        ObjectNode review = PodReviews.review();
        if (networks != null) {
            PodReviews.annotations(review).put(KEY, networks);
        }
        return review;
    }

    @Test
    void injectedSeedPodIsAllowedWithTheStaticAddressWarning() {
        JsonNode answer = PodReviews.post(https, PATH, review(PodReviews.SEED_NETWORKS));
        assertTrue(answer.path("response").path("allowed").asBoolean(), answer::toString);
        List<String> warnings = PodReviews.warnings(answer);
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().startsWith("static IPAM of chain-example/management-net gives every replica of ReplicaSet chain-test-6c9f7d8b5 the same"),
                warnings.getFirst());
    }

    @Test
    void podWithoutOwnerOrAnnotationIsAllowedQuietly() {
        ObjectNode review = review(PodReviews.SEED_NETWORKS);
        ((ObjectNode) PodReviews.pod(review).path("metadata")).remove("ownerReferences");
        JsonNode answer = PodReviews.post(https, PATH, review);
        assertTrue(answer.path("response").path("allowed").asBoolean());
        assertFalse(answer.path("response").has("warnings"), answer::toString);
        JsonNode none = PodReviews.post(https, PATH, review(null));
        assertTrue(none.path("response").path("allowed").asBoolean());
        assertFalse(none.path("response").has("warnings"));
    }

    @Test
    void malformedAnnotationIsDeniedWithTheExactReason() {
        JsonNode answer = PodReviews.post(https, PATH, review("[{\"name\": \"management-net\", \"interface\": eth1}]"));
        JsonNode response = answer.path("response");
        assertFalse(response.path("allowed").asBoolean());
        assertEquals(403, response.path("status").path("code").asInt());
        String message = response.path("status").path("message").asText();
        assertTrue(message.startsWith("Pod chain-example/chain-test-6c9f7d8b5-* is invalid (1 error): /metadata/annotations/k8s.v1.cni.cncf.io~1networks: "
                + "k8s.v1.cni.cncf.io/networks is not valid JSON: "), message);
        assertTrue(message.contains("line 1, column"), message);
    }

    @Test
    void codecFindingsDenyWithPathsPerElement() {
        JsonNode answer = PodReviews.post(https, PATH, review("management-net@eth1,sip-net@eth1,Bad_Name"));
        JsonNode status = answer.path("response").path("status");
        assertFalse(answer.path("response").path("allowed").asBoolean());
        List<String> fields = new java.util.ArrayList<>();
        status.path("details").path("causes").forEach(c -> fields.add(c.path("field").asText()));
        assertEquals(List.of("/metadata/annotations/k8s.v1.cni.cncf.io~1networks/1/interface",
                "/metadata/annotations/k8s.v1.cni.cncf.io~1networks/2/name"), fields, answer.toString());
    }

    @Test
    void missingNadIsDenied() {
        JsonNode answer = PodReviews.post(https, PATH, review("management-net@eth1,storage-net@eth2"));
        assertFalse(answer.path("response").path("allowed").asBoolean());
        assertTrue(answer.path("response").path("status").path("message").asText()
                .contains("/metadata/annotations/k8s.v1.cni.cncf.io~1networks/1/name: NetworkAttachmentDefinition chain-example/storage-net does not exist"),
                answer::toString);
    }

    @Test
    void crossNamespaceReferenceWarns() {
        ObjectNode review = review("chain-example/management-net@eth1");
        ((ObjectNode) review.get("request")).put("namespace", "other");
        ((ObjectNode) PodReviews.pod(review).path("metadata")).put("namespace", "other").remove("ownerReferences");
        JsonNode answer = PodReviews.post(https, PATH, review);
        assertTrue(answer.path("response").path("allowed").asBoolean(), answer::toString);
        assertEquals(List.of("network chain-example/management-net is not in the pod's namespace: Multus namespaceIsolation refuses it"
                        + " (at /metadata/annotations/k8s.v1.cni.cncf.io~1networks/0/namespace)"),
                PodReviews.warnings(answer));
    }

    @Test
    void onlyCreateIsValidated() {
        ObjectNode review = review("[{");
        ((ObjectNode) review.get("request")).put("operation", "UPDATE");
        assertTrue(PodReviews.post(https, PATH, review).path("response").path("allowed").asBoolean());
    }
}
