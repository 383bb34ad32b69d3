package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netattach.catalog.InformerNadCatalog;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-cluster catalog against the fabric8 mock API server in CRUD mode: NADs are created, updated
 * and deleted while the webhook runs, and {@code /mutate/pods} and {@code /validate/pods} follow
 * without a restart (bounded polling: the informer's watch delivers the change asynchronously).
 */
@QuarkusTest
@TestProfile(PodInjectionInformerTest.ClusterCatalog.class)
@WithKubernetesTestServer(crud = true, setup = PodInjectionInformerTest.SeedNads.class)
class PodInjectionInformerTest {

    /** Forces the informer catalog (as the deployment does) on all namespaces. */
    public static class ClusterCatalog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netattach.catalog.mode", "cluster");
        }
    }

    /** The seed NADs exist before the webhook starts. */
    public static class SeedNads implements java.util.function.Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            KubernetesClient client = server.getClient();
            for (String file : new String[]{"deploy/examples/management.yaml", "deploy/examples/sip.yaml"}) {
                client.genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example")
                        .resource(client.getKubernetesSerialization().convertValue(Reviews.manifest(file), GenericKubernetesResource.class))
                        .create();
            }
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @KubernetesTestServer
    KubernetesServer server;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private KubernetesClient client() {
        return server.getClient();
    }

    /**
     * The Kubernetes test resource hands its settings to the mock client as JVM-wide system properties
     * ({@code quarkus.tls.trust-all=true} among them) and never removes them: clear them, so that the
     * test classes that run after this one in the same JVM (with a TLS trust store, for example) start clean.
     */
    @AfterAll
    static void clearMockServerSystemProperties() {
        for (String key : new String[]{"quarkus.tls.trust-all", "kubernetes.trust.certificates", "kubernetes.auth.tryKubeConfig",
                "kubernetes.auth.tryServiceAccount", "kubernetes.namespace", "http2.disable", "kubernetes.master"}) {
            System.clearProperty(key);
        }
    }

    @BeforeEach
    void catalogIsReady() {
        await(() -> {
            Response r = Https.given(https).get("/q/health/ready");
            return r.statusCode() == 200 && r.asString().contains("from the API server") ? r.asString() : null;
        }, "readiness UP with the informer catalog");
    }

    private String injected() {
        ObjectNode review = PodReviews.review();
        JsonNode answer = PodReviews.post(https, PodMutationHandler.PATH, review);
        return PodReviews.networks(PodReviews.apply(PodReviews.pod(review), answer));
    }

    private static <T> T await(Supplier<T> probe, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (last != null) {
                return last;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
    }

    private void awaitInjected(String expected) {
        String[] last = new String[1];
        try {
            await(() -> {
                last[0] = injected();
                return Objects.equals(expected, last[0]) ? Boolean.TRUE : null;
            }, "injection " + expected);
        } catch (AssertionError e) {
            assertEquals(expected, last[0], e.getMessage());
        }
    }

    private GenericKubernetesResource nad(String name) {
        return client().genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example").withName(name).get();
    }

    @Test
    void injectionFollowsNadCreateUpdateAndDeleteWithoutRestart() {
        // the seed expectation, with NADs from the API server
        awaitInjected(PodReviews.SEED_NETWORKS);

        // create: a third network for the same pods
        ObjectNode extra = Reviews.manifest("deploy/examples/sip.yaml");
        ((ObjectNode) extra.path("metadata")).put("name", "extra-net");
        ((ObjectNode) extra.path("metadata").path("annotations")).put("netattach.io/interface", "eth3").put("netattach.io/inject-order", "3");
        client().genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example")
                .resource(client().getKubernetesSerialization().convertValue(extra, GenericKubernetesResource.class)).create();
        awaitInjected("[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"},"
                + "{\"name\":\"extra-net\",\"interface\":\"eth3\"}]");

        // update: management-net now selects other pods
        GenericKubernetesResource management = nad("management-net");
        management.getMetadata().getAnnotations().put("netattach.io/inject-selector", "app in (billing)");
        client().genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example").resource(management).update();
        awaitInjected("[{\"name\":\"sip-net\",\"interface\":\"eth2\"},{\"name\":\"extra-net\",\"interface\":\"eth3\"}]");

        // delete: sip-net is gone, and a pod still naming it is now denied
        client().genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example").withName("sip-net").delete();
        awaitInjected("[{\"name\":\"extra-net\",\"interface\":\"eth3\"}]");
        ObjectNode review = PodReviews.review();
        PodReviews.annotations(review).put("k8s.v1.cni.cncf.io/networks", PodReviews.SEED_NETWORKS);
        JsonNode answer = PodReviews.post(https, PodValidationHandler.PATH, review);
        assertFalse(answer.path("response").path("allowed").asBoolean(), answer::toString);
        assertTrue(answer.path("response").path("status").path("message").asText()
                .contains("NetworkAttachmentDefinition chain-example/sip-net does not exist"), answer::toString);

        // an invalid selector on a NAD is ignored, never breaks admission, and shows in the metrics
        GenericKubernetesResource extraNow = nad("extra-net");
        extraNow.getMetadata().getAnnotations().put("netattach.io/inject-selector", "app in (chain-test");
        client().genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example").resource(extraNow).update();
        awaitInjected(null);
        String[] metrics = new String[1];
        try {
            await(() -> {
                metrics[0] = Https.given(https).get("/q/metrics").asString();
                return metrics[0].contains("netattach_catalog_invalid_annotations 1.0") ? "" : null;
            }, "the invalid selector in the metrics");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; catalog metrics: " + metrics[0].lines()
                    .filter(l -> l.startsWith("netattach_catalog")).toList(), e);
        }

        // restore for other tests of this class
        management.getMetadata().getAnnotations().put("netattach.io/inject-selector", "app=chain-test");
        management.getMetadata().setResourceVersion(null);
        client().genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("chain-example").resource(management).update();
    }

    @Test
    void readinessReportsTheInformerCatalog() {
        Response r = Https.given(https).get("/q/health/ready");
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("\"nad-catalog\""), r.asString());
        assertTrue(r.asString().contains("NADs from the API server (all namespaces)"), r.asString());
    }
}
