package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: the API server (fabric8 mock) goes away while the webhook runs. As documented for the
 * informer catalog, the synced cache stays in use (readiness stays UP: the NADs it holds are still
 * the last known state, and watch errors are retried with back-off) but readiness reports the lost
 * watch ({@code connected: false} and the status text), NAD validation keeps working, and pods are
 * still injected from the cache.
 */
@QuarkusTest
@TestProfile(PodInjectionInformerTest.ClusterCatalog.class)
@WithKubernetesTestServer(crud = true, setup = PodInjectionInformerTest.SeedNads.class)
class ApiServerOutageMidRunTest {

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private String injected() {
        ObjectNode review = PodReviews.review();
        JsonNode answer = PodReviews.post(https, PodMutationHandler.PATH, review);
        return PodReviews.networks(PodReviews.apply(PodReviews.pod(review), answer));
    }

    @Test
    void outageAfterSyncKeepsServingFromTheCache() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Response ready = Https.given(https).get("/q/health/ready");
        while (!(ready.statusCode() == 200 && ready.asString().contains("from the API server")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            ready = Https.given(https).get("/q/health/ready");
        }
        assertEquals(200, ready.statusCode(), ready.asString());
        assertTrue(ready.asString().replace(" ", "").contains("\"connected\":true"), ready.asString());
        assertTrue(ready.asString().replace(" ", "").contains("\"connection\":\"connected\""), ready.asString());
        String before = injected();
        assertTrue(before.contains("management-net") && before.contains("sip-net"), before);

        java.net.InetSocketAddress apiServer = new java.net.InetSocketAddress(server.getKubernetesMockServer().getHostName(),
                server.getKubernetesMockServer().getPort());
        server.after(); // the API server is gone: connections refused, the watch breaks
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(apiServer, 2000);
            }
        }, "the mock API server still accepts connections");
        Response after = Https.given(https).get("/q/health/ready");
        deadline = System.nanoTime() + 30_000_000_000L;
        while (!after.asString().contains("watch to the API server lost") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            after = Https.given(https).get("/q/health/ready");
        }
        assertEquals(200, after.statusCode(), after.asString());
        assertTrue(after.asString().contains("2 NADs from the API server (all namespaces); watch to the API server lost,"
                + " serving the last synced state while reconnecting"), after.asString());
        assertTrue(after.asString().replace(" ", "").contains("\"connected\":false"), after.asString());
        assertTrue(after.asString().replace(" ", "").contains("\"connection\":\"reconnecting\""), after.asString());
        assertEquals(before, injected());
        Response validated = Https.given(https).contentType("application/json").body(Https.resource(Reviews.MANAGEMENT_CREATE))
                .post(NadValidationHandler.PATH);
        assertEquals(200, validated.statusCode(), validated.asString());
        assertTrue(validated.asString().contains("\"allowed\":true"), validated.asString());
        assertEquals(200, Https.given(https).get("/q/health/live").statusCode());
    }
}
