package io.netattach.plugin.macvlan;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.Result;
import io.netattach.plugin.Command;
import io.netattach.plugin.chain.InProcessPluginInvoker;
import io.netattach.testing.Netns;
import io.netattach.testing.NodePodNamespaces;
import io.netattach.testing.PodState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The macvlan plugin on the real kernel, in process: node namespace with br-ex, pod namespaces. */
class MacvlanPluginTest {

    private static final String SEED = """
            {"cniVersion":"1.0.0","name":"management-net","type":"macvlan","master":"br-ex","mode":"bridge",
             "ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24","gateway":"192.168.100.1"}],
                     "routes":[{"dst":"10.0.0.0/8"}]}}""";

    private NodePodNamespaces ns;
    /** IPAM calls seen by the recording delegate (in process, bundled static). */
    private final List<String> ipamCalls = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        Netns.assumeRoot();
        ns = NodePodNamespaces.create();
    }

    @AfterEach
    void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private MacvlanPlugin plugin() {
        InProcessPluginInvoker inProcess = new InProcessPluginInvoker(null);
        return new MacvlanPlugin((command, request, conf) -> {
            ipamCalls.add(command.name());
            return inProcess.invoke(conf.ipamType(), request.stdin(),
                    withCommand(request.environment(), command));
        });
    }

    private static java.util.Map<String, String> withCommand(java.util.Map<String, String> env, Command command) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(env);
        m.put("CNI_COMMAND", command.name());
        return m;
    }

    private PluginRun.Outcome run(String command, String conf) {
        return run(command, conf, ns.pod(), "eth1", "");
    }

    private PluginRun.Outcome run(String command, String conf, Netns pod, String ifName, String args) {
        return PluginRun.run(plugin(), ns.node().path().toString(), command, "ctr-" + pod.name(), pod.path().toString(),
                ifName, args, conf);
    }

    private static String withPrev(String conf, String result) {
        return conf.substring(0, conf.lastIndexOf('}')) + ",\"prevResult\":" + result + "}";
    }

    @Test
    void addCreatesRenamedMacvlanWithAddressesRoutesAndRealMacThenCheckAndDelTwice() {
        PluginRun.Outcome add = run("ADD", SEED);
        assertTrue(add.ok(), add.stdout());
        Result result = Result.fromJson(add.json(), "result", CniVersion.V1_0_0);
        PodState state = PodState.capture(ns.pod());
        assertEquals(List.of("eth1 macvlan bridge mtu 1500 UP"), state.links());
        assertEquals(List.of("eth1 192.168.100.10/24"), state.addresses());
        assertTrue(state.routes().contains("10.0.0.0/8 via 192.168.100.1 dev eth1"), state.routes().toString());
        assertFalse(state.routes().stream().anyMatch(r -> r.startsWith("default")), "gateway alone is no default route");
        String mac = ns.pod().ip("-j", "link", "show", "eth1").replaceAll("(?s).*\"address\":\"([^\"]+)\".*", "$1");
        assertEquals(mac, result.interfaces().getFirst().mac());
        assertEquals(ns.pod().path().toString(), result.interfaces().getFirst().sandbox());
        assertEquals(0, result.ips().getFirst().interfaceIndex());
        assertEquals("1", ns.pod().execIn(List.of("cat", "/proc/sys/net/ipv4/conf/eth1/arp_notify"), null,
                java.util.Map.of()).stdout().strip());

        PluginRun.Outcome check = run("CHECK", withPrev(SEED, add.stdout()));
        assertTrue(check.ok(), check.stdout());

        assertTrue(run("DEL", withPrev(SEED, add.stdout())).ok());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
        assertTrue(run("DEL", withPrev(SEED, add.stdout())).ok(), "second DEL succeeds");
        assertTrue(ns.node().hasLink("br-ex"), "master untouched");
    }

    @Test
    void linkLeftUnderItsTemporaryNameByAKilledAddIsRemovedByDelAndClearedByTheNextAdd() {
        String tmp = MacvlanPlugin.temporaryName("ctr-" + ns.pod().name(), "eth1");
        assertEquals(tmp, MacvlanPlugin.temporaryName("ctr-" + ns.pod().name(), "eth1"), "deterministic");
        assertFalse(tmp.equals(MacvlanPlugin.temporaryName("ctr-" + ns.pod().name(), "eth2")));
        assertTrue(tmp.length() <= 15, tmp);
        // what an ADD killed between link creation and rename leaves behind: a DOWN macvlan named tmp
        ns.node().ip("link", "add", tmp, "link", "br-ex", "type", "macvlan", "mode", "bridge");
        ns.node().ip("link", "set", tmp, "netns", ns.pod().path().toString());
        assertEquals(1, PodState.capture(ns.pod()).links().size());
        assertTrue(run("DEL", SEED).ok());
        assertTrue(PodState.capture(ns.pod()).isEmpty(), PodState.capture(ns.pod()).links().toString());

        ns.node().ip("link", "add", tmp, "link", "br-ex", "type", "macvlan", "mode", "bridge");
        ns.node().ip("link", "set", tmp, "netns", ns.pod().path().toString());
        PluginRun.Outcome add = run("ADD", SEED);
        assertTrue(add.ok(), add.stdout());
        assertEquals(List.of("eth1 macvlan bridge mtu 1500 UP"), PodState.capture(ns.pod()).links());
    }

    @Test
    void emptyIpamGivesL2OnlyLinkUp() {
        PluginRun.Outcome add = run("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"l2\",\"type\":\"macvlan\",\"master\":\"br-ex\",\"ipam\":{}}");
        assertTrue(add.ok(), add.stdout());
        PodState s = PodState.capture(ns.pod());
        assertEquals(List.of("eth1 macvlan bridge mtu 1500 UP"), s.links());
        assertTrue(s.addresses().isEmpty());
        assertTrue(ipamCalls.isEmpty());
    }

    @Test
    void modeMtuMacAndBcqueuelenAreApplied() {
        PluginRun.Outcome add = run("ADD", "{\"cniVersion\":\"1.1.0\",\"name\":\"x\",\"type\":\"macvlan\",\"master\":\"br-ex\","
                + "\"mode\":\"private\",\"mtu\":1400,\"mac\":\"02:11:22:33:44:55\",\"bcqueuelen\":123}");
        assertTrue(add.ok(), add.stdout());
        String details = ns.pod().ip("-d", "link", "show", "eth1");
        assertTrue(details.contains("mtu 1400"), details);
        assertTrue(details.contains("macvlan mode private"), details);
        assertTrue(details.contains("02:11:22:33:44:55"), details);
        assertTrue(details.contains("bcqueuelen 123"), details);
        assertTrue(add.stdout().contains("02:11:22:33:44:55"));
    }

    @Test
    void macFromCniArgsAndRuntimeConfigOverrideTheConfig() {
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"macvlan\",\"master\":\"br-ex\",\"mac\":\"02:00:00:00:00:01\","
                + "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"}}";
        assertTrue(run("ADD", conf, ns.pod(), "eth1", "IgnoreUnknown=true;MAC=02:00:00:00:00:02").ok());
        assertTrue(ns.pod().ip("link", "show", "eth1").contains("02:00:00:00:00:03"));
    }

    @Test
    void mtuAboveTheMastersIsRefusedAndNothingIsLeft() {
        PluginRun.Outcome add = run("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"macvlan\",\"master\":\"br-ex\",\"mtu\":9000}");
        assertFalse(add.ok());
        assertEquals("invalid MTU 9000, must be [0, master MTU(1500)] (master \"br-ex\")", add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
    }

    @Test
    void missingMasterFailsCleanlyAndStatusSays50() {
        String conf = SEED.replace("br-ex", "nosuch0");
        PluginRun.Outcome add = run("ADD", conf);
        assertFalse(add.ok());
        assertTrue(add.msg().startsWith("failed to lookup master \"nosuch0\""), add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
        assertTrue(ipamCalls.isEmpty());

        String status11 = conf.replace("\"1.0.0\"", "\"1.1.0\"");
        PluginRun.Outcome status = run("STATUS", status11);
        assertEquals(50, status.code(), status.stdout());
        assertEquals("master interface \"nosuch0\" does not exist", status.msg());
        assertTrue(run("STATUS", SEED.replace("\"1.0.0\"", "\"1.1.0\"")).ok());
    }

    @Test
    void defaultMasterIsTheDefaultRouteInterface() {
        ns.addVethMaster("up0", true);
        PluginRun.Outcome add = run("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"macvlan\"}");
        assertTrue(add.ok(), add.stdout());
        String index = ns.node().ip("-j", "link", "show", "up0").replaceAll("(?s).*\"ifindex\":(\\d+).*", "$1");
        String podLink = ns.pod().ip("-j", "link", "show", "eth1");
        assertTrue(podLink.contains("\"link_index\":" + index), podLink + " vs up0 index " + index);
    }

    @Test
    void ipamFailureLeavesThePodAsBefore() {
        String conf = SEED.replace("192.168.100.10/24", "192.168.100.10");
        PluginRun.Outcome add = run("ADD", conf);
        assertFalse(add.ok());
        assertTrue(add.msg().startsWith("address \"192.168.100.10\" is not in CIDR notation"), add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty(), "no DOWN interface left behind (upstream bug)");
        assertEquals(List.of("ADD", "DEL"), ipamCalls);
        assertTrue(run("ADD", SEED).ok(), "the next ADD works");
    }

    @Test
    void addressTheKernelRefusesUndoesEverything() {
        String conf = SEED.replace("{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}",
                "{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"},{\"address\":\"ff02::1/64\"}");
        PluginRun.Outcome add = run("ADD", conf);
        assertFalse(add.ok());
        assertTrue(add.msg().startsWith("failed to add IP addr ff02::1/64 to \"eth1\""), add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
        assertEquals(List.of("ADD", "DEL"), ipamCalls);
    }

    @Test
    void routeFailureUndoesEverything() {
        String conf = SEED.replace("{\"dst\":\"10.0.0.0/8\"}", "{\"dst\":\"10.0.0.0/8\",\"gw\":\"172.31.0.1\"}");
        PluginRun.Outcome add = run("ADD", conf);
        assertFalse(add.ok());
        assertTrue(add.msg().startsWith("failed to add route '10.0.0.0/8 via 172.31.0.1"), add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
        assertEquals(List.of("ADD", "DEL"), ipamCalls);
    }

    @Test
    void existingInterfaceNameFailsWithoutLeavingTheTemporaryLink() {
        ns.pod().ip("link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        List<String> before = ns.pod().linkNames();
        PluginRun.Outcome add = run("ADD", SEED);
        assertFalse(add.ok());
        assertEquals("failed to rename macvlan to \"eth1\": file exists", add.msg());
        assertEquals(before, ns.pod().linkNames());
        assertTrue(ipamCalls.isEmpty());
    }

    @Test
    void delRemovesTheLinkEvenWhenIpamDelFailsAndReportsTheIpamError() {
        assertTrue(run("ADD", SEED).ok());
        MacvlanPlugin failingIpamDel = new MacvlanPlugin((command, request, conf) -> {
            throw new io.netattach.cni.CniException(11, "ipam store busy");
        });
        PluginRun.Outcome del = PluginRun.run(failingIpamDel, ns.node().path().toString(), "DEL", "ctr-" + ns.pod().name(),
                ns.pod().path().toString(), "eth1", "", SEED);
        assertEquals(11, del.code(), del.stdout());
        assertEquals("ipam store busy", del.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty(), "link removed although IPAM DEL failed");
    }

    @Test
    void delSucceedsWhenTheNetnsOrTheLinkIsGone() {
        assertTrue(run("DEL", SEED).ok(), "link never created");
        Netns gone = ns.addPod();
        String path = gone.path().toString();
        gone.close();
        PluginRun.Outcome del = PluginRun.run(plugin(), ns.node().path().toString(), "DEL", "c", path, "eth1", "", SEED);
        assertTrue(del.ok(), del.stdout());
        PluginRun.Outcome noNetns = PluginRun.run(plugin(), ns.node().path().toString(), "DEL", "c", "", "eth1", "", SEED);
        assertTrue(noNetns.ok(), noNetns.stdout());
    }

    @Test
    void missingOrNonNetnsPathIsCode3Or8AndCreatesNothing() throws Exception {
        PluginRun.Outcome missing = PluginRun.run(plugin(), ns.node().path().toString(), "ADD", "c",
                "/run/netns/does-not-exist-" + Netns.uniqueSuffix(), "eth1", "", SEED);
        assertEquals(3, missing.code(), missing.stdout());
        java.nio.file.Path file = java.nio.file.Files.createTempFile("not-a-netns", "");
        try {
            PluginRun.Outcome notNetns = PluginRun.run(plugin(), ns.node().path().toString(), "ADD", "c",
                    file.toString(), "eth1", "", SEED);
            assertEquals(8, notNetns.code(), notNetns.stdout());
        } finally {
            java.nio.file.Files.delete(file);
        }
        assertEquals(List.of("lo", "br-ex"), ns.node().linkNames());
        assertTrue(ipamCalls.isEmpty());
    }

    @Test
    void checkNoticesChangedMacAddressAndMode() {
        PluginRun.Outcome add = run("ADD", SEED);
        assertTrue(add.ok());
        String wrongMac = add.stdout().replaceAll("\"mac\":\\s*\"[^\"]+\"", "\"mac\":\"02:de:ad:be:ef:00\"");
        assertTrue(run("CHECK", withPrev(SEED, wrongMac)).msg().contains("prevResult says 02:de:ad:be:ef:00"));
        assertTrue(run("CHECK", withPrev(SEED.replace("\"mode\":\"bridge\"", "\"mode\":\"vepa\""), add.stdout()))
                .msg().contains("has macvlan mode bridge, expected vepa"));
        assertEquals("required prevResult missing", run("CHECK", SEED).msg());
        ns.pod().ip("route", "del", "10.0.0.0/8");
        assertTrue(run("CHECK", withPrev(SEED, add.stdout())).msg().startsWith("route 10.0.0.0/8"));
        ns.pod().ip("addr", "del", "192.168.100.10/24", "dev", "eth1");
        assertTrue(run("CHECK", withPrev(SEED, add.stdout())).msg().contains("address 192.168.100.10/24 not found"));
    }

    @Test
    void linkInContainerUsesAMasterInsideThePod() {
        ns.pod().ip("link", "add", "inner0", "type", "veth", "peer", "name", "inner1");
        ns.pod().ip("link", "set", "inner0", "up");
        PluginRun.Outcome add = run("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"macvlan\",\"master\":\"inner0\","
                + "\"linkInContainer\":true}");
        assertTrue(add.ok(), add.stdout());
        assertTrue(ns.pod().ip("-d", "link", "show", "eth1").contains("eth1@inner0"));
    }

    @Test
    void vlanIsCreatedReusedAndKeptOrMissingKernelSupportIsNamed() {
        String conf = SEED.replace("\"mode\":\"bridge\"", "\"mode\":\"bridge\",\"vlan\":100");
        PluginRun.Outcome add = run("ADD", conf);
        if (!VlanSupport.available()) {
            assertFalse(add.ok());
            assertEquals(MacvlanPlugin.missingVlanSupportMessage(100, "br-ex"), add.msg());
            assertTrue(add.msg().contains("802.1Q") && add.msg().contains("8021q"));
            assertTrue(PodState.capture(ns.pod()).isEmpty());
            assertFalse(ns.node().hasLink("br-ex.100"));
            Assumptions.abort("VLAN path not run: this kernel has no 802.1Q support (asserted the error instead)");
        }
        assertTrue(add.ok(), add.stdout());
        String vlan = ns.node().ip("-d", "link", "show", "br-ex.100");
        assertTrue(vlan.contains("vlan protocol 802.1Q id 100") && vlan.contains("mtu 1500") && vlan.contains(",UP"), vlan);
        Netns pod2 = ns.addPod();
        assertTrue(run("ADD", conf, pod2, "eth1", "").ok(), "second attachment reuses br-ex.100");
        assertTrue(run("DEL", withPrev(conf, add.stdout())).ok());
        assertTrue(ns.node().hasLink("br-ex.100"), "the VLAN interface is never deleted");
    }

    @Test
    void anInterfaceNamedLikeTheVlanButOfAnotherKindIsNotUsed() {
        ns.node().ip("link", "add", "br-ex.100", "type", "veth", "peer", "name", "vx-peer");
        PluginRun.Outcome add = run("ADD", SEED.replace("\"mode\":\"bridge\"", "\"mode\":\"bridge\",\"vlan\":100"));
        assertFalse(add.ok());
        assertEquals("interface \"br-ex.100\" exists but is not VLAN 100 of \"br-ex\" (kind \"veth\", vlan null)", add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
        assertTrue(ipamCalls.isEmpty());
    }

    @Test
    void aVlanSubInterfaceNameLongerThan15CharactersIsRefused() {
        ns.node().ip("link", "add", "master-long-1", "type", "bridge");
        PluginRun.Outcome add = run("ADD", SEED.replace("br-ex", "master-long-1")
                .replace("\"mode\":\"bridge\"", "\"mode\":\"bridge\",\"vlan\":4000"));
        assertFalse(add.ok());
        assertEquals("vlan 4000 of master \"master-long-1\" needs the sub-interface \"master-long-1.4000\", which is not a valid"
                + " interface name: it is 18 bytes long, the limit is 15 bytes of UTF-8", add.msg());
        assertTrue(PodState.capture(ns.pod()).isEmpty());
    }

    @Test
    void twentyConcurrentAddsOnOneMasterDoNotInterfere() throws Exception {
        List<Netns> pods = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pods.add(ns.addPod());
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<PluginRun.Outcome>> adds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Netns pod = pods.get(i);
                String conf = SEED.replace("192.168.100.10/24", "192.168.100." + (20 + i) + "/24");
                adds.add(pool.submit(() -> run("ADD", conf, pod, "eth1", "")));
            }
            for (int i = 0; i < 20; i++) {
                PluginRun.Outcome o = adds.get(i).get();
                assertTrue(o.ok(), "pod " + i + ": " + o.stdout());
                PodState s = PodState.capture(pods.get(i));
                assertEquals(List.of("eth1 macvlan bridge mtu 1500 UP"), s.links());
                assertEquals(List.of("eth1 192.168.100." + (20 + i) + "/24"), s.addresses());
            }
            List<Future<PluginRun.Outcome>> dels = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Netns pod = pods.get(i);
                dels.add(pool.submit(() -> run("DEL", SEED, pod, "eth1", "")));
            }
            for (int i = 0; i < 20; i++) {
                assertTrue(dels.get(i).get().ok());
                assertTrue(PodState.capture(pods.get(i)).isEmpty());
            }
            assertEquals(List.of("lo", "br-ex"), ns.node().linkNames());
        } finally {
            pool.shutdownNow();
        }
    }
}
