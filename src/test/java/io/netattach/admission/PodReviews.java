package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pod AdmissionReviews for the pod endpoint tests, built from the realistic review in test resources. */
final class PodReviews {

    /** A ReplicaSet's pod (generateName, no name) in chain-example, labelled app=chain-test, as the API server sends it. */
    static final String POD_CREATE = "/admission/reviews/pod-create-chain-test.json";

    static final String SEED_NETWORKS =
            "[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]";

    private PodReviews() {
    }

    /** The seed pod review with a fresh uid. */
    static ObjectNode review() {
        ObjectNode review = Reviews.load(POD_CREATE);
        ((ObjectNode) review.get("request")).put("uid", UUID.randomUUID().toString());
        return review;
    }

    static ObjectNode pod(ObjectNode review) {
        return (ObjectNode) review.path("request").path("object");
    }

    static ObjectNode annotations(ObjectNode review) {
        return (ObjectNode) pod(review).path("metadata").path("annotations");
    }

    /** The review carrying {@code pod} instead. */
    static ObjectNode withPod(ObjectNode review, JsonNode pod) {
        ((ObjectNode) review.get("request")).set("object", pod);
        return review;
    }

    static JsonNode post(URL https, String path, JsonNode review) {
        Response response = Https.given(https).contentType("application/json").body(Reviews.toJson(review)).post(path);
        assertEquals(200, response.statusCode(), () -> "HTTP status, body: " + response.asString());
        try {
            return Reviews.JSON.readTree(response.asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoded JSON Patch of a response, or null. */
    static ArrayNode patch(JsonNode answer) {
        JsonNode response = answer.path("response");
        if (!response.has("patch")) {
            return null;
        }
        assertEquals("JSONPatch", response.path("patchType").asText());
        try {
            return (ArrayNode) Reviews.JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code pod} with the answer's patch applied by an independent JSON Patch implementation. */
    static JsonNode apply(JsonNode pod, JsonNode answer) {
        ArrayNode patch = patch(answer);
        return patch == null ? pod : JsonPatch.apply(patch, pod);
    }

    static List<String> warnings(JsonNode answer) {
        List<String> warnings = new ArrayList<>();
        answer.path("response").path("warnings").forEach(w -> warnings.add(w.asText()));
        return warnings;
    }

    static String networks(JsonNode pod) {
        JsonNode value = pod.path("metadata").path("annotations").get("k8s.v1.cni.cncf.io/networks");
        return value == null ? null : value.asText();
    }
}
