package io.netattach.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.netattach.testing.Netns;
import io.netattach.testing.NodePodNamespaces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed scenario wired by the real Multus (thin plugin v4.0.2): {@code chain-test-pod} is created
 * through the API server, then Multus runs as the CNI ADD for it inside a "node" network namespace that
 * holds {@code br-ex}, reads the pod's networks annotation and the NADs from the API server (through a
 * socat relay over a unix socket: the node namespace's loopback is not the machine's), and calls the
 * bundled plugins ({@code target/cni-bin} launchers) from its binDir. Root only.
 */
class MultusE2E {

    static final String NS = "chain-example";
    static final String POD = "chain-test-pod";
    static Cluster cluster;
    static NodePodNamespaces namespaces;
    static final List<Process> relays = new ArrayList<>();
    static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        if (!Netns.isRoot()) {
            System.out.println("e2e: MultusE2E SKIPPED: needs root (network namespaces)");
            Assumptions.abort("needs root (network namespaces)");
        }
        cluster = Cluster.get();
        cluster.requireOwnControlPlane("MultusE2E", "this machine's network namespaces as the node, with Multus and the "
                + "bundled plugins run locally against the API server (on a real cluster Multus runs on the nodes)");
        Path multus = cluster.testDir.resolve("bin/multus");
        if (!Files.isExecutable(multus)) {
            System.out.println("e2e: MultusE2E SKIPPED: no Multus binary (" + multus + ", from ../shared/k8s/multus.gz)");
            Assumptions.abort("no Multus binary");
        }
        if (Exec.run("sh", "-c", "command -v socat").code() != 0 || !Files.isExecutable(Path.of("/usr/lib/cni/loopback"))) {
            System.out.println("e2e: MultusE2E SKIPPED: needs socat and /usr/lib/cni/loopback (apt-get install socat containernetworking-plugins)");
            Assumptions.abort("needs socat and /usr/lib/cni/loopback");
        }
        dir = Cluster.WORK.resolve("multus-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("cache"));
        Path cniBin = Cluster.ROOT.resolve("target/cni-bin");
        for (String f : List.of("macvlan", "route-override", "static", "netattach-plugins.jar", "netattach-plugins.aot")) {
            if (Files.exists(cniBin.resolve(f))) {
                Files.createSymbolicLink(dir.resolve("bin").resolve(f), cniBin.resolve(f));
            }
        }
        Files.createSymbolicLink(dir.resolve("bin/loopback"), Path.of("/usr/lib/cni/loopback"));
        Files.createSymbolicLink(dir.resolve("bin/multus"), multus);

        namespaces = NodePodNamespaces.create();
        namespaces.node().ip("link", "set", "lo", "up");
        // relay: node netns 127.0.0.1:PORT -> unix socket -> machine 127.0.0.1:PORT (the API server)
        int port = Integer.parseInt(cluster.apiUrl.replaceAll(".*:", ""));
        Path socket = dir.resolve("api.sock");
        relays.add(new ProcessBuilder("socat", "UNIX-LISTEN:" + socket + ",fork", "TCP:127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("relay-host.log").toFile()).start());
        relays.add(new ProcessBuilder("ip", "netns", "exec", namespaces.node().name(), "socat",
                "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:" + socket)
                .redirectErrorStream(true).redirectOutput(dir.resolve("relay-node.log").toFile()).start());

        cluster.namespace(NS, Map.of());
        Exec seed = cluster.kubectl(null, "apply", "-f", "deploy/examples/management.yaml", "-f", "deploy/examples/sip.yaml");
        assertTrue(seed.ok(), seed.output());
        if (!vlanSupported()) {
            System.out.println("e2e: note: this kernel has no 802.1Q VLAN support (kernel module 8021q): the \"vlan\" "
                    + "field is dropped from the seed NADs in the API server for this run, as `demo` does");
            for (String nad : List.of("management-net", "sip-net")) {
                GenericKubernetesResource r = Nads.api(cluster.admin).inNamespace(NS).withName(nad).get();
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
                spec.put("config", withoutVlan((String) spec.get("config")));
                r.getMetadata().setResourceVersion(null);
                r.getMetadata().setManagedFields(null);
                Nads.api(cluster.admin).inNamespace(NS).resource(r).update();
            }
        }
        cluster.admin.pods().inNamespace(NS).withName(POD).delete();
        cluster.awaitPodGone(NS, POD);
        Exec pod = cluster.kubectl(null, "create", "-f", "deploy/examples/pod.yaml");
        assertTrue(pod.ok(), pod.output());
    }

    @AfterAll
    static void tearDown() {
        for (Process p : relays) {
            p.destroy();
        }
        if (namespaces != null) {
            namespaces.close();
        }
    }

    static boolean vlanSupported() {
        Netns.Exec r = namespaces.node().ipResult("link", "add", "link", "br-ex", "name", "br-ex.4094", "type", "vlan",
                "id", "4094");
        if (r.ok()) {
            namespaces.node().ipResult("link", "del", "br-ex.4094");
        }
        return r.ok();
    }

    static String withoutVlan(String config) {
        try {
            ObjectNode conf = (ObjectNode) RenderedBundle.JSON.readTree(config);
            for (JsonNode p : conf.path("plugins")) {
                ((ObjectNode) p).remove("vlan");
            }
            conf.remove("vlan");
            return conf.toPrettyString();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    Netns.Exec multus(String command, String containerId) {
        String kubeconfig = cluster.adminKubeconfig.toString();
        String conf = """
                {"cniVersion":"0.3.1","name":"multus-cni-network","type":"multus","kubeconfig":"%s",
                 "cniDir":"%s","binDir":"%s",
                 "delegates":[{"cniVersion":"0.3.1","name":"loop","type":"loopback"}]}"""
                .formatted(kubeconfig, dir.resolve("cache"), dir.resolve("bin"));
        Map<String, String> env = Map.of(
                "CNI_COMMAND", command,
                "CNI_CONTAINERID", containerId,
                "CNI_NETNS", namespaces.pod().path().toString(),
                "CNI_IFNAME", "eth0",
                "CNI_PATH", dir.resolve("bin").toString(),
                "CNI_ARGS", "IgnoreUnknown=true;K8S_POD_NAMESPACE=" + NS + ";K8S_POD_NAME=" + POD
                        + ";K8S_POD_INFRA_CONTAINER_ID=" + containerId);
        long t0 = System.nanoTime();
        Netns.Exec r = namespaces.node().execIn(List.of(dir.resolve("bin/multus").toString()), conf, env);
        System.out.printf("e2e: multus %s exit %d in %d ms%n%s%s%n", command, r.exitCode(), (System.nanoTime() - t0) / 1_000_000,
                r.stdout(), r.stderr());
        return r;
    }

    @Test
    void multusWiresTheSeedPodWithTheBundledPluginsAndDelLeavesNothingBehind() throws IOException {
        String id = "e2e" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Netns.Exec add = multus("ADD", id);
        try {
            assertTrue(add.ok(), "multus ADD failed: " + add.stdout() + add.stderr());
            String addr = namespaces.pod().ip("-o", "-4", "addr");
            String routes = namespaces.pod().ip("route");
            System.out.println("e2e: pod netns ip addr:\n" + addr + "e2e: pod netns ip route:\n" + routes);
            assertTrue(addr.matches("(?s).*\\beth1\\s+inet 192\\.168\\.100\\.10/24\\b.*"), addr);
            assertTrue(addr.matches("(?s).*\\beth2\\s+inet 192\\.168\\.200\\.10/24\\b.*"), addr);
            assertTrue(routes.contains("10.0.0.0/8 via 192.168.100.1 dev eth1"), routes);
            assertTrue(routes.contains("172.16.0.0/12 via 192.168.200.1 dev eth2"), routes);

            Pod pod = cluster.admin.pods().inNamespace(NS).withName(POD).get();
            String status = pod.getMetadata().getAnnotations().get("k8s.v1.cni.cncf.io/network-status");
            assertNotNull(status, "Multus wrote no network-status: " + pod.getMetadata().getAnnotations());
            System.out.println("e2e: network-status written by Multus: " + status.replaceAll("\\s+", " "));
            JsonNode entries = RenderedBundle.JSON.readTree(status);
            assertTrue(has(entries, "chain-example/management-net", "eth1", "192.168.100.10"), status);
            assertTrue(has(entries, "chain-example/sip-net", "eth2", "192.168.200.10"), status);
        } finally {
            Netns.Exec del = multus("DEL", id);
            assertTrue(del.ok(), "multus DEL failed: " + del.stdout() + del.stderr());
        }
        assertEquals(List.of("lo"), namespaces.pod().linkNames(), "links left in the pod netns");
        assertEquals("", namespaces.pod().ip("-4", "route"), "routes left in the pod netns");
        assertEquals(List.of("lo", "br-ex"), namespaces.node().linkNames(), "links left in the node netns");
        try (Stream<Path> cache = Files.walk(dir.resolve("cache"))) {
            List<Path> left = cache.filter(Files::isRegularFile).filter(p -> p.toString().contains(id)).toList();
            assertTrue(left.isEmpty(), "Multus cache entries left: " + left);
        }
        Netns.Exec again = multus("DEL", id);
        assertTrue(again.ok(), "a second DEL must succeed: " + again.stdout() + again.stderr());
        assertFalse(namespaces.pod().linkNames().contains("eth1"));
    }

    static boolean has(JsonNode entries, String name, String iface, String ip) {
        for (JsonNode e : entries) {
            if (e.path("name").asText().equals(name) && e.path("interface").asText().equals(iface)
                    && e.path("ips").toString().contains("\"" + ip + "\"")) {
                return true;
            }
        }
        return false;
    }
}
