package io.netattach.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.netattach.injection.NadInfo;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link InformerNadCatalog} against the fabric8 mock API server in CRUD mode, without Quarkus. */
@EnableKubernetesMockClient(crud = true)
class InformerNadCatalogTest {

    static KubernetesClient client;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void create(String namespace, String name, String selector) {
        ObjectNode nad = JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        ObjectNode metadata = nad.putObject("metadata").put("name", name).put("namespace", namespace);
        metadata.putObject("annotations").put(NadInfo.INJECT_SELECTOR, selector).put(NadInfo.INTERFACE, "eth1");
        nad.putObject("spec").put("config", "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"bridge\"}");
        client.genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace(namespace)
                .resource(client.getKubernetesSerialization().convertValue(nad, GenericKubernetesResource.class)).create();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void watchesOnlyTheConfiguredNamespacesAndFollowsChanges() throws Exception {
        create("team-a", "a1", "app=x");
        create("team-b", "b1", "app=x");
        List<String> problems = new CopyOnWriteArrayList<>();
        try (InformerNadCatalog catalog = new InformerNadCatalog(client, List.of("team-a", "team-c"), problems::add)) {
            assertFalse(catalog.ready(), "not ready before start");
            assertEquals(NadCatalog.Connection.CONNECTING, catalog.connection(), "nothing opened, nothing lost");
            catalog.start();
            await(catalog::ready, "sync");
            await(() -> catalog.connection() == NadCatalog.Connection.CONNECTED, "the watches to open");
            assertTrue(catalog.connected());
            assertFalse(catalog.status().contains("lost"), catalog.status());
            assertTrue(catalog.covers("team-a"));
            assertTrue(catalog.covers("team-c"));
            assertFalse(catalog.covers("team-b"), "not watched: missing NADs there are not known to be missing");
            assertEquals(1, catalog.size());
            assertEquals(List.of("a1"), catalog.namespace("team-a").matching(Map.of("app", "x")).stream().map(NadInfo::name).toList());
            assertTrue(catalog.find("team-b", "b1").isEmpty());

            create("team-c", "c1", "app in (x");
            await(() -> catalog.find("team-c", "c1").isPresent(), "c1");
            assertTrue(catalog.namespace("team-c").matching(Map.of("app", "x")).isEmpty(), "invalid selector ignored");
            await(() -> catalog.invalidAnnotations() == 1, "the problem to be noted");
            assertEquals(1, problems.size(), problems.toString());

            client.genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("team-a").withName("a1").delete();
            await(() -> catalog.find("team-a", "a1").isEmpty(), "a1 to go");
            assertTrue(catalog.status().contains("namespaces team-a,team-c"), catalog.status());
        }
    }

    private static void createStatic(String namespace, String name, String master, int vlan, String address) {
        GenericKubernetesResource r = client.getKubernetesSerialization().convertValue(
                io.netattach.plan.SegmentIndexTest.nad(namespace, name, master, vlan, address), GenericKubernetesResource.class);
        client.genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace(namespace).resource(r).createOr(x -> x.update());
    }

    @Test
    void theSegmentIndexSpansAllNamespacesAndFollowsChanges() throws Exception {
        java.net.InetAddress ip = java.net.InetAddress.getByName("192.168.100.10");
        createStatic("seg-a", "n1", "br-ex", 100, "192.168.100.10/24");
        try (InformerNadCatalog catalog = new InformerNadCatalog(client, List.of(), s -> { })) {
            catalog.start();
            await(catalog::ready, "sync");
            await(() -> catalog.segments().holders("br-ex", java.util.Optional.of(100), ip).equals(java.util.Set.of("seg-a/n1")), "seg-a/n1 indexed");
            createStatic("seg-b", "n2", "br-ex", 100, "192.168.100.10/24");
            await(() -> catalog.segments().holders("br-ex", java.util.Optional.of(100), ip).size() == 2, "seg-b/n2 indexed");
            createStatic("seg-a", "n1", "br-ex", 100, "192.168.100.11/24"); // moved to another address
            await(() -> catalog.segments().holders("br-ex", java.util.Optional.of(100), ip).equals(java.util.Set.of("seg-b/n2")), "n1 moved");
            client.genericKubernetesResources(InformerNadCatalog.NAD_CONTEXT).inNamespace("seg-b").withName("n2").delete();
            await(() -> catalog.segments().holders("br-ex", java.util.Optional.of(100), ip).isEmpty(), "n2 gone");
        }
    }

    @Test
    void readyOnlyOnceTheSegmentIndexHoldsEveryListedNad() throws Exception {
        int n = 600; // the informer's handlers work through these after the store has synced
        for (int i = 0; i < n; i++) {
            createStatic("seg-many", "m" + i, "br-many", 200, "10.20." + (i / 250) + "." + (i % 250 + 1) + "/16");
        }
        try (InformerNadCatalog catalog = new InformerNadCatalog(client, List.of("seg-many"), s -> { })) {
            catalog.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!catalog.ready()) { // polled without a pause: the first true is checked at once
                assertTrue(System.nanoTime() < deadline, "timed out waiting for sync");
                Thread.onSpinWait();
            }
            for (int i = 0; i < n; i++) {
                java.net.InetAddress ip = java.net.InetAddress.getByName("10.20." + (i / 250) + "." + (i % 250 + 1));
                assertEquals(java.util.Set.of("seg-many/m" + i), catalog.segments().holders("br-many", java.util.Optional.of(200), ip),
                        "m" + i + " in the segment index when the catalog turned ready");
            }
        }
    }

    @Test
    void unreachableApiServerIsNotReadyAndNotFatal() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(200).build();
        try (KubernetesClient dead = new KubernetesClientBuilder().withConfig(config).build();
             InformerNadCatalog catalog = new InformerNadCatalog(dead, List.of(), line -> { })) {
            catalog.start();
            Thread.sleep(500);
            assertFalse(catalog.ready());
            assertFalse(catalog.covers("any"));
            assertTrue(catalog.namespace("any").injecting().isEmpty());
            assertTrue(catalog.status().startsWith("NAD informer not synced yet"), catalog.status());
            // the watch never opened: the truth is "connecting", not "lost"
            assertEquals(NadCatalog.Connection.CONNECTING, catalog.connection());
            assertFalse(catalog.connected());
            assertEquals("NAD informer not synced yet (all namespaces); connecting to the API server", catalog.status());
        }
    }

    @Test
    void storeDropsManagedFieldsAndLastAppliedConfigurationAndKeepsTheRest() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"n1\",\"type\":\"bridge\"}";
        ObjectNode nad = JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        ObjectNode metadata = nad.putObject("metadata").put("name", "n1").put("namespace", "team-a").put("resourceVersion", "42");
        metadata.putObject("annotations").put(NadInfo.INJECT_SELECTOR, "app=x")
                .put(InformerNadCatalog.LAST_APPLIED, "{\"spec\":{\"config\":\"...\"}}");
        metadata.putArray("managedFields").addObject().put("manager", "kubectl").put("operation", "Update")
                .put("fieldsType", "FieldsV1").putObject("fieldsV1").putObject("f:spec").putObject("f:config");
        nad.putObject("spec").put("config", config);
        GenericKubernetesResource r = client.getKubernetesSerialization().convertValue(nad, GenericKubernetesResource.class);
        assertEquals(1, r.getMetadata().getManagedFields().size(), "the fixture has managedFields");

        var store = new TrimmingItemStore<>(InformerNadCatalog::lean);
        store.put(store.getKey(r), r);
        GenericKubernetesResource stored = store.get("team-a/n1");

        assertTrue(stored.getMetadata().getManagedFields() == null || stored.getMetadata().getManagedFields().isEmpty(),
                "managedFields dropped");
        assertEquals(Map.of(NadInfo.INJECT_SELECTOR, "app=x"), stored.getMetadata().getAnnotations());
        assertEquals("42", stored.getMetadata().getResourceVersion());
        assertEquals(Map.of("config", config), stored.getAdditionalProperties().get("spec"));
    }
}
