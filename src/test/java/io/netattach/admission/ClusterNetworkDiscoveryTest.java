package io.netattach.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netattach.plan.ClusterNetworks;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClusterNetworkDiscovery} and its three sources against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ClusterNetworkDiscoveryTest {

    KubernetesClient client;
    KubernetesMockServer server;

    private static final ObjectMapper JSON = new ObjectMapper();

    private void openShiftNetwork(String... podAndServiceCidrs) {
        ObjectNode n = JSON.createObjectNode();
        n.put("apiVersion", "config.openshift.io/v1").put("kind", "Network");
        n.putObject("metadata").put("name", "cluster");
        ObjectNode status = n.putObject("status");
        status.putArray("clusterNetwork").addObject().put("cidr", podAndServiceCidrs[0]).put("hostPrefix", 23);
        status.putArray("serviceNetwork").add(podAndServiceCidrs[1]);
        client.genericKubernetesResources(OpenShiftNetworkSource.CONTEXT)
                .resource(client.getKubernetesSerialization().convertValue(n, GenericKubernetesResource.class)).create();
    }

    private void kubeadmConfig(String clusterConfiguration) {
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("kubeadm-config").withNamespace("kube-system").endMetadata()
                .withData(Map.of("ClusterConfiguration", clusterConfiguration)).build()).createOr(r -> r.update());
    }

    private void node(String name, String... podCidrs) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDRs(podCidrs).withPodCIDR(podCidrs.length > 0 ? podCidrs[0] : null).endSpec().build()).create();
    }

    private static final String KUBEADM = """
            apiVersion: kubeadm.k8s.io/v1beta3
            kind: ClusterConfiguration
            kubernetesVersion: v1.30.0
            networking:
              dnsDomain: cluster.local
              podSubnet: 10.244.0.0/16,fd00:10:244::/56
              serviceSubnet: 10.96.0.0/12
            """;

    private ClusterNetworkSource discover(ClusterNetworks configured) {
        ClusterNetworkSource source = new ClusterNetworkSource(configured);
        try (ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(client, source)) {
            d.refresh();
        }
        return source;
    }

    private static List<String> strings(List<?> prefixes) {
        return prefixes.stream().map(Object::toString).toList();
    }

    @Test
    void noSourceIsNotFoundAndNotFatal() {
        ClusterNetworkSource source = discover(ClusterNetworks.NONE);
        assertTrue(source.current().isEmpty());
        assertTrue(source.describe().isEmpty(), source.describe().toString());
        assertEquals(Map.of("openshift-network", "not found", "kubeadm-config", "not found", "node-pod-cidrs", "not found"),
                source.notFound());
    }

    @Test
    void openShiftNetworkAlone() {
        openShiftNetwork("10.128.0.0/14", "172.30.0.0/16");
        ClusterNetworkSource source = discover(ClusterNetworks.NONE);
        assertEquals(List.of("10.128.0.0/14"), strings(source.current().podNetworks()));
        assertEquals(List.of("172.30.0.0/16"), strings(source.current().serviceNetworks()));
        assertEquals(Map.of("openshift-network", "pod 10.128.0.0/14, service 172.30.0.0/16"), source.describe());
        assertFalse(source.notFound().containsKey("openshift-network"));
    }

    @Test
    void kubeadmConfigAloneWithDualStackLists() {
        kubeadmConfig(KUBEADM);
        ClusterNetworkSource source = discover(ClusterNetworks.NONE);
        assertEquals(2, source.current().podNetworks().size(), source.describe().toString());
        assertEquals("10.244.0.0/16", source.current().podNetworks().getFirst().toString());
        assertEquals(List.of("10.96.0.0/12"), strings(source.current().serviceNetworks()));
        assertEquals(List.of("kubeadm-config"), List.copyOf(source.describe().keySet()));
    }

    @Test
    void nodePodCidrsAreTheUnionOfAllNodes() {
        node("n1", "10.244.0.0/24", "fd00:10:244::/64");
        node("n2", "10.244.1.0/24");
        node("n3", "10.244.1.0/24"); // the same twice: once
        node("n4");                  // no pod CIDR yet
        ClusterNetworkSource source = discover(ClusterNetworks.NONE);
        assertEquals(3, source.current().podNetworks().size(), source.describe().toString());
        assertTrue(strings(source.current().podNetworks()).containsAll(List.of("10.244.0.0/24", "10.244.1.0/24")));
        assertTrue(source.current().serviceNetworks().isEmpty());
        assertEquals(List.of("node-pod-cidrs"), List.copyOf(source.describe().keySet()));
    }

    @Test
    void allThreeMergeWithTheConfiguredNetworksAndReadinessNamesThem() {
        openShiftNetwork("10.128.0.0/14", "172.30.0.0/16");
        kubeadmConfig(KUBEADM);
        node("n1", "10.128.2.0/23");
        ClusterNetworkSource source = discover(ClusterNetworks.of("192.0.2.0/24", "", ClusterNetworks.RoutePolicy.WARN));
        assertEquals(List.of("configuration", "openshift-network", "kubeadm-config", "node-pod-cidrs"),
                List.copyOf(source.describe().keySet()));
        List<String> pods = strings(source.current().podNetworks());
        assertTrue(pods.containsAll(List.of("192.0.2.0/24", "10.128.0.0/14", "10.244.0.0/16", "10.128.2.0/23")), pods.toString());
        assertTrue(strings(source.current().serviceNetworks()).containsAll(List.of("172.30.0.0/16", "10.96.0.0/12")));
        assertTrue(source.notFound().isEmpty(), source.notFound().toString());

        ClusterNetworksReadinessCheck check = new ClusterNetworksReadinessCheck();
        check.source = source;
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        Map<String, Object> data = r.getData().orElseThrow();
        assertEquals("configuration; openshift-network; kubeadm-config; node-pod-cidrs", data.get("sources"));
        assertEquals("found: pod 10.128.0.0/14, service 172.30.0.0/16", data.get("openshift-network"));
        assertEquals("found: pod 10.128.2.0/23", data.get("node-pod-cidrs"));
        assertEquals("pod 192.0.2.0/24", data.get("configuration"));
        assertEquals("none (every source re-read each netattach.cluster.refresh-period)", data.get("watched"), "refresh() alone watches nothing");
    }

    @Test
    void aMalformedKubeadmConfigIsReportedAndNotFatal() {
        kubeadmConfig("networking: [this is: not: a mapping");
        node("n1", "10.244.0.0/24");
        ClusterNetworkSource source = discover(ClusterNetworks.NONE);
        assertEquals(List.of("10.244.0.0/24"), strings(source.current().podNetworks()));
        assertTrue(source.notFound().get("kubeadm-config").startsWith("malformed: "), source.notFound().toString());

        ClusterNetworksReadinessCheck check = new ClusterNetworksReadinessCheck();
        check.source = source;
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertTrue(String.valueOf(r.getData().orElseThrow().get("kubeadm-config")).startsWith("malformed"));

        kubeadmConfig("networking:\n  podSubnet: 10.244.0.0/33\n");
        ClusterNetworkSource again = discover(ClusterNetworks.NONE);
        assertTrue(again.notFound().get("kubeadm-config").contains("networking.podSubnet"), again.notFound().toString());
    }

    @Test
    void kubeadmParsing() {
        var c = KubeadmConfigSource.parse("networking:\n  serviceSubnet: 10.96.0.0/12, fd00:10:96::/112\n");
        assertTrue(c.podNetworks().isEmpty());
        assertEquals(2, c.serviceNetworks().size());
        assertThrows(IllegalArgumentException.class, () -> KubeadmConfigSource.parse("- a list"));
        assertThrows(IllegalArgumentException.class, () -> KubeadmConfigSource.parse("networking:\n  podSubnet: [1]\n"));
    }

    @Test
    void forbiddenIsNotFound() {
        server.expect().get().withPath("/api/v1/nodes").andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}").always();
        openShiftNetwork("10.128.0.0/14", "172.30.0.0/16");
        ClusterNetworkSource source = discover(ClusterNetworks.NONE);
        assertEquals("not found (403, not permitted)", source.notFound().get("node-pod-cidrs"), source.notFound().toString());
        assertEquals(List.of("openshift-network"), List.copyOf(source.describe().keySet()));
    }

    @Test
    void aRefreshPicksUpChanges() {
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.of("192.0.2.0/24", "", ClusterNetworks.RoutePolicy.WARN));
        try (ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(client, source)) {
            d.refresh();
            assertEquals(List.of("192.0.2.0/24"), strings(source.current().podNetworks()));
            node("n1", "10.244.0.0/24");
            kubeadmConfig("networking:\n  serviceSubnet: 10.96.0.0/12\n");
            d.refresh();
            assertEquals(List.of("192.0.2.0/24", "10.244.0.0/24"), strings(source.current().podNetworks()));
            assertEquals(List.of("10.96.0.0/12"), strings(source.current().serviceNetworks()));
            node("n2", "10.244.1.0/24");
            kubeadmConfig("networking:\n  serviceSubnet: 10.100.0.0/16\n");
            d.refresh();
            assertEquals(List.of("192.0.2.0/24", "10.244.0.0/24", "10.244.1.0/24"), strings(source.current().podNetworks()));
            assertEquals(List.of("10.100.0.0/16"), strings(source.current().serviceNetworks()));
            client.nodes().withName("n1").delete();
            client.nodes().withName("n2").delete();
            d.refresh();
            assertEquals(List.of("192.0.2.0/24"), strings(source.current().podNetworks()), "configured networks always apply");
            assertEquals("not found", source.notFound().get("node-pod-cidrs"));
        }
    }

    @Test
    void theScheduledRefreshRunsAtStart() throws Exception {
        node("n1", "10.244.0.0/24");
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.NONE);
        try (ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(client, source)) {
            d.start(java.time.Duration.ofMinutes(5));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (source.current().podNetworks().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of("10.244.0.0/24"), strings(source.current().podNetworks()));
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aNodeGainingAPodCidrIsSeenThroughTheWatchWithoutWaitingForThePeriod() throws Exception {
        node("n1");
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.NONE);
        try (ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(client, source)) {
            d.start(java.time.Duration.ofHours(1));
            await(() -> source.watched().contains("node-pod-cidrs"), "the Node watch (no Node has a pod CIDR yet)");
            assertEquals("not found", source.states().get("node-pod-cidrs"));
            assertFalse(source.watched().contains("kubeadm-config"), "kubeadm-config is only re-read periodically");
            assertFalse(source.watched().contains("openshift-network"), "an absent OpenShift Network is not watched");
            client.nodes().withName("n1").edit(n -> new NodeBuilder(n).editSpec().withPodCIDR("10.244.7.0/24")
                    .withPodCIDRs("10.244.7.0/24").endSpec().build());
            await(() -> strings(source.current().podNetworks()).equals(List.of("10.244.7.0/24")), "the new pod CIDR");
            node("n2", "10.244.8.0/24");
            await(() -> source.current().podNetworks().size() == 2, "a new Node");
            assertEquals("found: pod 10.244.7.0/24, pod 10.244.8.0/24", source.states().get("node-pod-cidrs"));
            client.nodes().withName("n1").delete();
            await(() -> strings(source.current().podNetworks()).equals(List.of("10.244.8.0/24")), "a Node gone");
        }
        assertTrue(source.watched().isEmpty(), "closed: nothing watched");
    }

    @Test
    void aChangeOfTheOpenShiftNetworkIsSeenThroughTheWatch() throws Exception {
        openShiftNetwork("10.128.0.0/14", "172.30.0.0/16");
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.NONE);
        try (ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(client, source)) {
            d.start(java.time.Duration.ofHours(1));
            await(() -> source.watched().contains("openshift-network"), "the OpenShift Network watch");
            assertEquals("found: pod 10.128.0.0/14, service 172.30.0.0/16", source.states().get("openshift-network"));
            GenericKubernetesResource network = client.genericKubernetesResources(OpenShiftNetworkSource.CONTEXT).withName("cluster").get();
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) network.getAdditionalProperties().get("status");
            status.put("serviceNetwork", List.of("172.31.0.0/16"));
            client.genericKubernetesResources(OpenShiftNetworkSource.CONTEXT).resource(network).update();
            await(() -> strings(source.current().serviceNetworks()).equals(List.of("172.31.0.0/16")), "the new service network");

            ClusterNetworksReadinessCheck check = new ClusterNetworksReadinessCheck();
            check.source = source;
            Map<String, Object> data = check.call().getData().orElseThrow();
            assertEquals("node-pod-cidrs, openshift-network", data.get("watched"));
            assertEquals("found: pod 10.128.0.0/14, service 172.31.0.0/16", data.get("openshift-network"));
            assertEquals("not found", data.get("kubeadm-config"));
        }
    }

    @Test
    void anUnreachableApiServerAtStartShowsEverySourceUnreachable() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        io.fabric8.kubernetes.client.Config config = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port).withRequestRetryBackoffLimit(0).withConnectionTimeout(200).build();
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.of("192.0.2.0/24", "", ClusterNetworks.RoutePolicy.WARN));
        ClusterNetworksReadinessCheck check = new ClusterNetworksReadinessCheck();
        check.source = source;
        try (KubernetesClient dead = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build();
             ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(dead, source)) {
            Map<String, Object> before = check.call().getData().orElseThrow();
            assertEquals("not read yet", before.get("node-pod-cidrs"));
            d.refresh();
            Map<String, Object> data = check.call().getData().orElseThrow();
            for (String name : List.of("openshift-network", "kubeadm-config", "node-pod-cidrs")) {
                String state = String.valueOf(data.get(name));
                assertTrue(state.startsWith("unreachable: ") && state.contains("ConnectException"), name + ": " + state);
            }
            assertEquals("configuration", data.get("sources"));
            assertEquals(List.of("192.0.2.0/24"), strings(source.current().podNetworks()), "the configured networks still apply");
        }
    }

    /** A source that answers, then fails as an unreachable API server does. */
    private static final class Flaky implements ClusterDiscoverySource {
        volatile boolean up = true;

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public java.util.Optional<ClusterNetworkSource.Contribution> read(KubernetesClient client) {
            if (!up) {
                throw new io.fabric8.kubernetes.client.KubernetesClientException("Operation: [get] failed.",
                        new java.net.ConnectException("Connection refused"));
            }
            return java.util.Optional.of(new ClusterNetworkSource.Contribution(
                    List.of(io.netattach.cni.IpPrefix.parse("10.244.0.0/16").orElseThrow()), List.of()));
        }
    }

    @Test
    void aSourceThatCannotBeReadAgainKeepsItsLastResultAndSaysSo() {
        Flaky flaky = new Flaky();
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.NONE);
        try (ClusterNetworkDiscovery d = new ClusterNetworkDiscovery(client, source, List.of(flaky))) {
            d.refresh();
            assertEquals("found: pod 10.244.0.0/16", source.states().get("flaky"));
            flaky.up = false;
            d.refresh();
            assertEquals(List.of("10.244.0.0/16"), strings(source.current().podNetworks()));
            assertEquals("found: pod 10.244.0.0/16 (last read failed, kept: Operation: [get] failed. (ConnectException: Connection refused))",
                    source.states().get("flaky"));
        }
    }

    @Test
    void theNodeWatchKeepsOnlyNamesAndPodCidrs() {
        io.fabric8.kubernetes.api.model.Node full = new NodeBuilder().withNewMetadata().withName("n1").withResourceVersion("7")
                .addToLabels("kubernetes.io/hostname", "n1").endMetadata()
                .withNewSpec().withPodCIDRs("10.244.0.0/24").withPodCIDR("10.244.0.0/24").withProviderID("kind://n1").endSpec()
                .withNewStatus().addNewImage().withNames("registry.example/big:1").withSizeBytes(1L << 30).endImage().endStatus().build();
        var store = new io.netattach.catalog.TrimmingItemStore<>(NodePodCidrSource::podCidrsOnly);
        store.put("n1", full);
        io.fabric8.kubernetes.api.model.Node kept = store.get("n1");
        assertEquals("n1", kept.getMetadata().getName());
        assertEquals("7", kept.getMetadata().getResourceVersion());
        assertEquals(List.of("10.244.0.0/24"), kept.getSpec().getPodCIDRs());
        assertEquals(null, kept.getStatus());
        assertEquals(null, kept.getSpec().getProviderID());
        assertEquals(List.of("10.244.0.0/24"), strings(NodePodCidrSource.parse(List.of(kept)).orElseThrow().podNetworks()));
    }
}
