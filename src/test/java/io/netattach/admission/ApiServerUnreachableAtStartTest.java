package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the API server is unreachable when the webhook starts (cluster catalog pointed at a closed
 * port). Readiness is DOWN and says why; NAD validation (which needs no API server) keeps working;
 * pod injection degrades as documented: pods are admitted unchanged with a warning, never denied.
 */
@QuarkusTest
@TestProfile(ApiServerUnreachableAtStartTest.DeadApiServer.class)
class ApiServerUnreachableAtStartTest {

    public static class DeadApiServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort(); // closed again: nothing listens there
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("netattach.catalog.mode", "cluster",
                    "quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:" + port,
                    "quarkus.kubernetes-client.connection-timeout", "PT0.5S",
                    "quarkus.kubernetes-client.request-retry-backoff-limit", "0");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void readinessIsDownWithTheReason() throws Exception {
        Response r = Https.given(https).get("/q/health/ready");
        assertEquals(503, r.statusCode(), r.asString());
        JsonNode check = null;
        for (JsonNode c : Reviews.JSON.readTree(r.asString()).path("checks")) {
            if (c.path("name").asText().equals("nad-catalog")) {
                check = c;
            }
        }
        assertTrue(check != null, r.asString());
        assertEquals("DOWN", check.path("status").asText());
        // the watch never opened: readiness says "connecting", never that a watch was lost
        assertEquals("NAD informer not synced yet (all namespaces); connecting to the API server", check.path("data").path("status").asText());
        assertEquals("connecting", check.path("data").path("connection").asText(), check::toString);
        assertEquals(false, check.path("data").path("connected").asBoolean(true), check::toString);
        assertEquals(200, Https.given(https).get("/q/health/live").statusCode());
    }

    @Test
    void clusterNetworksReadinessShowsEverySourceUnreachable() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode check = null;
        while (System.nanoTime() < deadline) {
            check = null;
            for (JsonNode c : Reviews.JSON.readTree(Https.given(https).get("/q/health/ready").asString()).path("checks")) {
                if (c.path("name").asText().equals("cluster-networks")) {
                    check = c;
                }
            }
            if (check != null && check.path("data").path("node-pod-cidrs").asText().startsWith("unreachable: ")) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(check != null, "no cluster-networks check");
        assertEquals("UP", check.path("status").asText(), check::toString);
        for (String source : java.util.List.of("openshift-network", "kubeadm-config", "node-pod-cidrs")) {
            String state = check.path("data").path(source).asText();
            assertTrue(state.startsWith("unreachable: ") && state.contains("ConnectException"), source + ": " + check);
        }
        assertEquals("none (no check against the cluster's networks)", check.path("data").path("sources").asText(), check::toString);
    }

    @Test
    void nadValidationKeepsWorking() {
        Response ok = Https.given(https).contentType("application/json").body(Https.resource(Reviews.MANAGEMENT_CREATE))
                .post(NadValidationHandler.PATH);
        assertEquals(200, ok.statusCode(), ok.asString());
        assertTrue(ok.asString().contains("\"allowed\":true"), ok.asString());
        String bad = Https.resource(Reviews.MANAGEMENT_CREATE).replace("\\\"type\\\": \\\"macvlan\\\"", "\\\"type\\\": \\\"../macvlan\\\"");
        assertTrue(!bad.equals(Https.resource(Reviews.MANAGEMENT_CREATE)), "review template changed: cannot inject the traversal");
        Response denied = Https.given(https).contentType("application/json").body(bad).post(NadValidationHandler.PATH);
        assertEquals(200, denied.statusCode(), denied.asString());
        assertTrue(denied.asString().contains("\"allowed\":false") && denied.asString().contains("path traversal"), denied.asString());
    }

    @Test
    void podsAreAdmittedUnchangedWithAWarning() {
        JsonNode mutated = PodReviews.post(https, PodMutationHandler.PATH, PodReviews.review());
        assertTrue(mutated.path("response").path("allowed").asBoolean(), mutated::toString);
        assertNull(PodReviews.patch(mutated));
        assertTrue(PodReviews.warnings(mutated).getFirst().startsWith("netattach: NAD catalog not synced yet"), mutated::toString);
        var review = PodReviews.review();
        PodReviews.annotations(review).put("k8s.v1.cni.cncf.io/networks", PodReviews.SEED_NETWORKS);
        JsonNode validated = PodReviews.post(https, PodValidationHandler.PATH, review);
        assertTrue(validated.path("response").path("allowed").asBoolean(), validated::toString);
    }
}
