package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A catalog that cannot be read keeps readiness DOWN, and the pod endpoints stay harmless meanwhile. */
@QuarkusTest
@TestProfile(PodCatalogNotReadyTest.MissingDirectory.class)
class PodCatalogNotReadyTest {

    /** Standalone catalog on a directory that does not exist. */
    public static class MissingDirectory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netattach.catalog.mode", "directory", "netattach.catalog.directory", "target/no-such-nad-directory");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void readinessIsDownWithTheReason() throws Exception {
        Response r = Https.given(https).get("/q/health/ready");
        assertEquals(503, r.statusCode(), r.asString());
        JsonNode health = Reviews.JSON.readTree(r.asString());
        JsonNode check = null;
        for (JsonNode c : health.path("checks")) {
            if (c.path("name").asText().equals("nad-catalog")) {
                check = c;
            }
        }
        assertTrue(check != null, r.asString());
        assertEquals("DOWN", check.path("status").asText());
        // the relative directory is resolved against the working directory (and logged so)
        assertEquals("directory " + java.nio.file.Path.of("target/no-such-nad-directory").toAbsolutePath() + " does not exist",
                check.path("data").path("status").asText());
    }

    @Test
    void podsAreNeitherInjectedNorDeniedForMissingNads() {
        JsonNode mutated = PodReviews.post(https, PodMutationHandler.PATH, PodReviews.review());
        assertTrue(mutated.path("response").path("allowed").asBoolean());
        assertNull(PodReviews.patch(mutated));
        assertTrue(PodReviews.warnings(mutated).getFirst().startsWith("netattach: NAD catalog not synced yet"), mutated::toString);

        var review = PodReviews.review();
        PodReviews.annotations(review).put("k8s.v1.cni.cncf.io/networks", PodReviews.SEED_NETWORKS);
        JsonNode validated = PodReviews.post(https, PodValidationHandler.PATH, review);
        assertTrue(validated.path("response").path("allowed").asBoolean(), validated::toString);
    }
}
