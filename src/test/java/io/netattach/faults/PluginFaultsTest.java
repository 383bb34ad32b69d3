package io.netattach.faults;

import io.netattach.testing.Netns;
import io.netattach.testing.NodePodNamespaces;
import io.netattach.testing.PodState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugin faults on the real kernel (root; skipped otherwise), through the {@code target/cni-bin}
 * launchers as a runtime calls them: SIGKILL at random points of ADD followed by DEL; 50 containers
 * added and deleted concurrently on one shared master; a pod netns deleted between ADD and DEL.
 * VLAN sub-interfaces are skipped where the kernel lacks 802.1Q.
 */
class PluginFaultsTest {

    static final Path BIN = Path.of("target/cni-bin").toAbsolutePath();
    static final String SEED = """
            {"cniVersion":"1.0.0","name":"management-net","type":"macvlan","master":"br-ex","mode":"bridge",
             "ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24","gateway":"192.168.100.1"}],
                     "routes":[{"dst":"10.0.0.0/8"}]}}""";

    private NodePodNamespaces ns;

    @BeforeEach
    void setUp() {
        Netns.assumeRoot();
        Assumptions.assumeTrue(Files.isExecutable(BIN.resolve("macvlan")), "no launcher " + BIN.resolve("macvlan") + " (run the build first)");
        ns = NodePodNamespaces.create(0);
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    static Map<String, String> env(String command, Netns pod, String containerId) {
        return Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", containerId, "CNI_NETNS", pod == null ? "" : pod.path().toString(),
                "CNI_IFNAME", "eth1", "CNI_ARGS", "", "CNI_PATH", BIN.toString());
    }

    /** The launcher run to completion inside the node namespace. */
    Netns.Exec plugin(String command, Netns pod, String containerId, String conf) {
        return ns.node().execIn(List.of(BIN.resolve("macvlan").toString()), conf, env(command, pod, containerId));
    }

    static String conf(int host) {
        return SEED.replace("192.168.100.10/24", "192.168.100." + host + "/24");
    }

    @Test
    void sigkillAtRandomPointsOfAddThenDelLeavesThePodClean() throws Exception {
        Random random = new Random(20261129);
        // the launcher's ADD takes a JVM start, the plugin, and a second JVM for static IPAM: spread kills over it
        long fullAdd;
        Netns probe = ns.addPod();
        long t0 = System.nanoTime();
        Netns.Exec ok = plugin("ADD", probe, "ctr-probe", conf(9));
        fullAdd = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ok.ok(), ok.stdout() + ok.stderr());
        assertTrue(plugin("DEL", probe, "ctr-probe", conf(9)).ok());
        assertTrue(PodState.capture(probe).isEmpty(), PodState.capture(probe).toString());

        List<String> outcomes = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            Netns pod = ns.addPod();
            long killAfter = round == 0 ? 0 : (long) (random.nextDouble() * fullAdd * 1.2);
            ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", ns.node().name(), BIN.resolve("macvlan").toString());
            pb.environment().putAll(env("ADD", pod, "ctr-" + round));
            pb.redirectErrorStream(true);
            Process add = pb.start();
            add.getOutputStream().write(conf(20 + round).getBytes(StandardCharsets.UTF_8));
            add.getOutputStream().close();
            Thread.sleep(killAfter);
            add.destroyForcibly(); // SIGKILL (ip netns exec execs the launcher, which execs java: one process)
            add.waitFor(10, TimeUnit.SECONDS);
            PodState afterKill = PodState.capture(pod);
            Netns.Exec del = plugin("DEL", pod, "ctr-" + round, conf(20 + round));
            assertTrue(del.ok(), "DEL after SIGKILL at " + killAfter + " ms: " + del.stdout() + del.stderr());
            PodState afterDel = PodState.capture(pod);
            outcomes.add(killAfter + " ms: " + (afterKill.isEmpty() ? "nothing yet" : afterKill.links()));
            assertTrue(afterDel.isEmpty(), "pod not clean after SIGKILL at " + killAfter + " ms of ~" + fullAdd + " ms and DEL: "
                    + afterDel + " (after the kill: " + afterKill + ")");
            assertTrue(plugin("DEL", pod, "ctr-" + round, conf(20 + round)).ok(), "second DEL");
        }
        System.out.println("SIGKILL during ADD (full ADD " + fullAdd + " ms), state left by the kill: " + outcomes);
    }

    @Test
    void fiftyContainersAddedAndDeletedConcurrentlyOnOneMaster() throws Exception {
        int n = 50;
        List<Netns> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(ns.addPod());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Netns.Exec>> adds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                adds.add(pool.submit(() -> plugin("ADD", pods.get(k), "ctr-" + k, conf(100 + k))));
            }
            // DELs of the first half start while the second half is still being added
            List<Future<Netns.Exec>> dels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Netns.Exec a = adds.get(i).get(5, TimeUnit.MINUTES);
                assertTrue(a.ok(), "ADD " + i + ": " + a.stdout() + a.stderr());
                PodState s = PodState.capture(pods.get(i));
                assertEquals(List.of("eth1 192.168.100." + (100 + i) + "/24"), s.addresses(), "pod " + i + ": " + s);
                int k = i;
                dels.add(pool.submit(() -> plugin("DEL", pods.get(k), "ctr-" + k, conf(100 + k))));
            }
            for (int i = 0; i < n; i++) {
                Netns.Exec d = dels.get(i).get(5, TimeUnit.MINUTES);
                assertTrue(d.ok(), "DEL " + i + ": " + d.stdout() + d.stderr());
                assertTrue(PodState.capture(pods.get(i)).isEmpty(), "pod " + i + " not clean");
            }
        } finally {
            pool.shutdownNow();
        }
        // the master is untouched and has no macvlan left on the node
        assertEquals(List.of("lo", "br-ex"), ns.node().linkNames());
    }

    @Test
    void vlanSubInterfacesUnderConcurrency() {
        Netns.Exec probe = ns.node().ipResult("link", "add", "link", NodePodNamespaces.MASTER, "name", "vlprobe", "type", "vlan", "id", "4000");
        Assumptions.assumeTrue(probe.ok(), "this kernel has no 802.1Q VLAN support (" + probe.stderr().strip() + "): VLAN part skipped");
        ns.node().ip("link", "del", "vlprobe");
        List<Netns> pods = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pods.add(ns.addPod());
        }
        String vlanConf = SEED.replace("\"mode\":\"bridge\"", "\"mode\":\"bridge\",\"vlan\":100");
        for (int i = 0; i < 10; i++) {
            assertTrue(plugin("ADD", pods.get(i), "v" + i, vlanConf.replace("192.168.100.10/24", "192.168.100." + (60 + i) + "/24")).ok());
        }
        for (int i = 0; i < 10; i++) {
            assertTrue(plugin("DEL", pods.get(i), "v" + i, vlanConf).ok());
            assertTrue(PodState.capture(pods.get(i)).isEmpty());
        }
    }

    @Test
    void netnsDeletedBetweenAddAndDel() {
        Netns pod = ns.addPod();
        Netns.Exec add = plugin("ADD", pod, "ctr-gone", conf(30));
        assertTrue(add.ok(), add.stdout() + add.stderr());
        String path = pod.path().toString();
        pod.close(); // the runtime removed the sandbox first
        Netns.Exec del = ns.node().execIn(List.of(BIN.resolve("macvlan").toString()), conf(30),
                Map.of("CNI_COMMAND", "DEL", "CNI_CONTAINERID", "ctr-gone", "CNI_NETNS", path, "CNI_IFNAME", "eth1",
                        "CNI_ARGS", "", "CNI_PATH", BIN.toString()));
        assertTrue(del.ok(), "DEL with the netns gone: " + del.stdout() + del.stderr());
        assertEquals(List.of("lo", "br-ex"), ns.node().linkNames(), "nothing left on the node");
    }
}
