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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /mutate/pods} over real HTTPS, standalone: the catalog is the directory
 * {@code deploy/examples} (the seed NADs management-net and sip-net).
 */
@QuarkusTest
class PodMutationEndpointTest {

    private static final String PATH = PodMutationHandler.PATH;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void seedPodGetsExactlyBothNetworks() {
        ObjectNode review = PodReviews.review();
        JsonNode answer = PodReviews.post(https, PATH, review);
        JsonNode response = answer.path("response");
        assertEquals(Reviews.uid(review), response.path("uid").asText());
        assertTrue(response.path("allowed").asBoolean(), answer::toString);
        assertEquals(List.of(), PodReviews.warnings(answer));

        JsonNode pod = PodReviews.apply(PodReviews.pod(review), answer);
        assertEquals(PodReviews.SEED_NETWORKS, PodReviews.networks(pod));
        assertEquals("management-net@eth1,sip-net@eth2", pod.path("metadata").path("annotations").path("netattach.io/injected-networks").asText());
        assertEquals("restricted-v2", pod.path("metadata").path("annotations").path("openshift.io/scc").asText(), "other annotations kept");

        ObjectNode expected = PodReviews.pod(review).deepCopy();
        ((ObjectNode) expected.path("metadata").path("annotations"))
                .put("k8s.v1.cni.cncf.io/networks", PodReviews.SEED_NETWORKS)
                .put("netattach.io/injected-networks", "management-net@eth1,sip-net@eth2");
        assertEquals(expected, pod, "nothing else changed");
        assertEquals("[{\"op\":\"add\",\"path\":\"/metadata/annotations/k8s.v1.cni.cncf.io~1networks\",\"value\":" + Reviews.toJson(Reviews.JSON.valueToTree(PodReviews.SEED_NETWORKS))
                        + "},{\"op\":\"add\",\"path\":\"/metadata/annotations/netattach.io~1injected-networks\",\"value\":\"management-net@eth1,sip-net@eth2\"}]",
                Reviews.toJson(PodReviews.patch(answer)));
    }

    @Test
    void podWithoutAnnotationsGetsTheMapWithJustOurKeys() {
        ObjectNode review = PodReviews.review();
        ((ObjectNode) PodReviews.pod(review).path("metadata")).remove("annotations");
        JsonNode answer = PodReviews.post(https, PATH, review);
        assertEquals("/metadata/annotations", PodReviews.patch(answer).get(0).path("path").asText());
        JsonNode pod = PodReviews.apply(PodReviews.pod(review), answer);
        assertEquals(2, pod.path("metadata").path("annotations").size());
        assertEquals(PodReviews.SEED_NETWORKS, PodReviews.networks(pod));
    }

    @Test
    void reinvocationOnItsOwnOutputChangesNothing() {
        ObjectNode review = PodReviews.review();
        JsonNode once = PodReviews.apply(PodReviews.pod(review), PodReviews.post(https, PATH, review));
        JsonNode answer = PodReviews.post(https, PATH, PodReviews.withPod(PodReviews.review(), once));
        assertTrue(answer.path("response").path("allowed").asBoolean());
        assertNull(PodReviews.patch(answer), answer::toString);
    }

    @Test
    void optedOutOrUnmatchedPodsAreNotTouched() {
        ObjectNode optOut = PodReviews.review();
        ((ObjectNode) PodReviews.pod(optOut).path("metadata").path("labels")).put("netattach.io/inject", "disabled");
        assertNull(PodReviews.patch(PodReviews.post(https, PATH, optOut)));

        ObjectNode other = PodReviews.review();
        ((ObjectNode) PodReviews.pod(other).path("metadata").path("labels")).put("app", "web");
        assertNull(PodReviews.patch(PodReviews.post(https, PATH, other)));

        ObjectNode elsewhere = PodReviews.review();
        ((ObjectNode) elsewhere.get("request")).put("namespace", "default");
        assertNull(PodReviews.patch(PodReviews.post(https, PATH, elsewhere)));
    }

    @Test
    void takenInterfaceIsAWarningAndTheOtherNetworkIsStillInjected() {
        ObjectNode review = PodReviews.review();
        PodReviews.annotations(review).put("k8s.v1.cni.cncf.io/networks", "storage-net@eth1");
        JsonNode answer = PodReviews.post(https, PATH, review);
        assertEquals(List.of("network management-net not injected: interface \"eth1\" is already used by element 0 (storage-net@eth1)"
                        + " (at /metadata/annotations/k8s.v1.cni.cncf.io~1networks/0)"),
                PodReviews.warnings(answer));
        assertEquals("[{\"name\":\"storage-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]",
                PodReviews.networks(PodReviews.apply(PodReviews.pod(review), answer)));
    }

    @Test
    void malformedAnnotationIsNotTouched() {
        ObjectNode review = PodReviews.review();
        PodReviews.annotations(review).put("k8s.v1.cni.cncf.io/networks", "[{\"name\":");
        JsonNode answer = PodReviews.post(https, PATH, review);
        assertTrue(answer.path("response").path("allowed").asBoolean());
        assertNull(PodReviews.patch(answer));
        assertTrue(PodReviews.warnings(answer).getFirst().startsWith("not injecting management-net, sip-net"), answer::toString);
    }

    @Test
    void otherOperationsAndSubresourcesAreAllowedUnchanged() {
        for (String op : new String[]{"UPDATE", "DELETE", "CONNECT"}) {
            ObjectNode review = PodReviews.review();
            ((ObjectNode) review.get("request")).put("operation", op);
            JsonNode answer = PodReviews.post(https, PATH, review);
            assertTrue(answer.path("response").path("allowed").asBoolean());
            assertFalse(answer.path("response").has("patch"), op);
        }
        ObjectNode binding = PodReviews.review();
        ((ObjectNode) binding.get("request")).put("subResource", "binding");
        assertNull(PodReviews.patch(PodReviews.post(https, PATH, binding)));
    }
}
