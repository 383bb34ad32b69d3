package io.netattach.netlink;

import io.netattach.cni.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed layer against the real kernel, in fresh namespaces (root only). */
class NetlinkKernelTest {
    private NetnsFixture fx;
    private String node;
    private String pod;

    @BeforeEach
    void setUp() {
        NetnsFixture.requireRoot();
        fx = new NetnsFixture();
        node = fx.addNetns("nlnode");
        pod = fx.addNetns("nlpod");
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private static IpPrefix p(String s) {
        return IpPrefix.parse(s).orElseThrow();
    }

    @Test
    void vethAcrossNamespacesRenameUpMtuMacAddressesAndRoutes() {
        try (Netns nodeNs = Netns.open(NetnsFixture.path(node));
             Netns podNs = Netns.open(NetnsFixture.path(pod));
             Netlink nl = nodeNs.netlink();
             Netlink podNl = podNs.netlink()) {
            nl.addVeth("host0", "tmp0", podNs.fd());
            LinkInfo host = nl.linkByName("host0").orElseThrow();
            assertEquals("veth", host.kind());
            assertTrue(nl.linkByName("tmp0").isEmpty(), "peer must be in the pod namespace");
            LinkInfo tmp = podNl.linkByName("tmp0").orElseThrow();
            podNl.setLinkName(tmp.index(), "eth1");
            podNl.setLinkMtu(tmp.index(), 1400);
            podNl.setLinkMac(tmp.index(), "02:11:22:33:44:55");
            podNl.setLinkUp(tmp.index());
            LinkInfo eth1 = podNl.linkByIndex(tmp.index()).orElseThrow();
            assertEquals("eth1", eth1.name());
            assertEquals(1400, eth1.mtu());
            assertEquals("02:11:22:33:44:55", eth1.mac());
            assertTrue(eth1.isUp());
            assertTrue(NetnsFixture.ip("-n", pod, "link", "show", "eth1").contains("mtu 1400"));

            podNl.addAddress(eth1.index(), p("192.168.100.10/24"));
            podNl.addAddress(eth1.index(), p("fd00:100::10/64"));
            List<AddressInfo> addrs = podNl.addresses(eth1.index(), Nl.AF_INET);
            assertEquals(List.of(p("192.168.100.10/24")), addrs.stream().map(AddressInfo::prefix).toList());
            assertTrue(NetnsFixture.ip("-n", pod, "addr", "show", "eth1").contains("brd 192.168.100.255"));

            RouteInfo r = RouteInfo.add(p("10.0.0.0/8"), IpPrefix.parseAddress("192.168.100.1").orElseThrow(),
                    eth1.index()).withPriority(100);
            podNl.addRoute(r);
            LinuxException exists = assertThrows(LinuxException.class, () -> podNl.addRoute(r));
            assertEquals("EEXIST", exists.errnoName());
            assertTrue(exists.reason().startsWith("file exists"), exists.reason());
            List<RouteInfo> main = podNl.routes(Nl.AF_INET, Nl.RT_TABLE_MAIN, eth1.index());
            RouteInfo got = main.stream().filter(x -> x.dst().equals(p("10.0.0.0/8"))).findFirst().orElseThrow();
            assertEquals(100, got.priority());
            assertEquals("192.168.100.1", IpPrefix.format(got.gateway()));
            assertTrue(NetnsFixture.ip("-n", pod, "route", "show").contains("10.0.0.0/8 via 192.168.100.1 dev eth1 "
                    + "metric 100"), NetnsFixture.ip("-n", pod, "route", "show"));

            RouteInfo device = RouteInfo.add(p("172.16.0.0/12"), null, eth1.index()).withTable(1000);
            podNl.addRoute(device);
            assertTrue(NetnsFixture.ip("-n", pod, "route", "show", "table", "1000")
                    .contains("172.16.0.0/12 dev eth1 scope link"));
            podNl.replaceRoute(r.withPriority(100).withMetrics(1300, null));
            assertTrue(NetnsFixture.ip("-n", pod, "route", "show").contains("mtu 1300"), NetnsFixture.ip("-n", pod, "route", "show"));

            RouteInfo v6 = RouteInfo.add(p("fd01::/64"), IpPrefix.parseAddress("fd00:100::1").orElseThrow(),
                    eth1.index());
            podNl.addRoute(v6);
            assertTrue(podNl.routes(Nl.AF_INET6, Nl.RT_TABLE_MAIN, eth1.index()).stream()
                    .anyMatch(x -> x.dst().equals(p("fd01::/64"))));
            podNl.deleteRoute(v6);
            podNl.deleteRoute(r);
            podNl.deleteRoute(device);
            LinuxException gone = assertThrows(LinuxException.class, () -> podNl.deleteRoute(r));
            assertEquals("ESRCH", gone.errnoName());
            assertFalse(NetnsFixture.ip("-n", pod, "route", "show").contains("10.0.0.0/8"));

            podNl.deleteAddress(eth1.index(), p("192.168.100.10/24"));
            assertTrue(podNl.addresses(eth1.index(), Nl.AF_INET).isEmpty());
            podNl.setLinkDown(eth1.index());
            assertFalse(podNl.linkByIndex(eth1.index()).orElseThrow().isUp());
            podNl.deleteLink(eth1.index());
            assertTrue(nl.linkByName("host0").isEmpty(), "deleting one veth end removes both");
        }
    }

    @Test
    void macvlanCreatedDirectlyInThePodNamespace() {
        NetnsFixture.ip("-n", node, "link", "add", "master0", "type", "veth", "peer", "name", "peer0");
        try (Netns nodeNs = Netns.open(NetnsFixture.path(node));
             Netns podNs = Netns.open(NetnsFixture.path(pod));
             Netlink nl = nodeNs.netlink();
             Netlink podNl = podNs.netlink()) {
            int master = nl.indexOf("master0").orElseThrow();
            nl.addMacvlan(new Netlink.MacvlanSpec("mvtmp", master, Nl.MACVLAN_MODE_PRIVATE, 1400,
                    "02:aa:bb:cc:dd:01", podNs.fd()));
            assertTrue(nl.linkByName("mvtmp").isEmpty());
            LinkInfo mv = podNl.linkByName("mvtmp").orElseThrow();
            assertEquals("macvlan", mv.kind());
            assertEquals(Nl.MACVLAN_MODE_PRIVATE, mv.macvlanMode());
            assertEquals(1400, mv.mtu());
            assertEquals("02:aa:bb:cc:dd:01", mv.mac());
            LinuxException e = assertThrows(LinuxException.class, () -> nl.addMacvlan(
                    Netlink.MacvlanSpec.bridge("master0", master, -1)));
            assertEquals("file exists", e.reason().replaceAll(" \\(.*", ""));
        }
    }

    @Test
    void vlanLinkOrClearSkipWhenKernelLacks8021q() {
        NetnsFixture.ip("-n", node, "link", "add", "trunk0", "type", "veth", "peer", "name", "trunk1");
        try (Netns nodeNs = Netns.open(NetnsFixture.path(node)); Netlink nl = nodeNs.netlink()) {
            int parent = nl.indexOf("trunk0").orElseThrow();
            try {
                nl.addVlan(new Netlink.VlanSpec("trunk0.100", parent, 100, 0, null, -1));
            } catch (LinuxException e) {
                System.out.println("SKIPPED: kernel has no 802.1Q VLAN support: " + e.getMessage());
                org.junit.jupiter.api.Assumptions.abort("kernel has no 802.1Q VLAN support: " + e.reason());
            }
            LinkInfo vlan = nl.linkByName("trunk0.100").orElseThrow();
            assertEquals("vlan", vlan.kind());
            assertEquals(100, vlan.vlanId());
            assertEquals(parent, vlan.parentIndex());
        }
    }

    @Test
    void sysctlIsWrittenInsideTheNamespaceOnly() {
        NetnsFixture.ip("-n", pod, "link", "add", "sx0", "type", "veth", "peer", "name", "sx1");
        try (Netns podNs = Netns.open(NetnsFixture.path(pod))) {
            podNs.run(() -> {
                Sysctl.write("net/ipv4/conf/sx0/arp_notify", "1");
                return null;
            });
            assertEquals("1", podNs.run(() -> Sysctl.read("net/ipv4/conf/sx0/arp_notify")));
            assertTrue(NetnsFixture.exec(List.of("ip", "netns", "exec", pod, "sysctl", "-n",
                    "net.ipv4.conf.sx0.arp_notify")).out().strip().equals("1"));
            assertFalse(Files.exists(Path.of("/proc/sys/net/ipv4/conf/sx0")), "not visible in the host namespace");
        }
    }

    private static String threadNetns() throws java.io.IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void runReturnsTheCallingThreadToItsNamespace() throws Exception {
        String before = threadNetns();
        try (Netns podNs = Netns.open(NetnsFixture.path(pod))) {
            String inside = podNs.run(NetlinkKernelTest::threadNetns);
            assertFalse(inside.equals(before));
            assertEquals(before, threadNetns(), "back home after a block");
            RuntimeException e = assertThrows(RuntimeException.class, () -> podNs.run(() -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals("boom", e.getMessage());
            assertEquals(before, threadNetns(), "back home after a block that threw");
            RuntimeException checked = assertThrows(RuntimeException.class, () -> podNs.run(() -> {
                throw new java.io.IOException("checked");
            }));
            assertEquals("checked", checked.getMessage());
            assertTrue(checked.getCause() instanceof java.io.IOException);
            assertEquals(before, threadNetns(), "back home after a checked exception");
            // nested: host -> pod -> host namespace of the test process -> pod, each level restored
            try (Netns home = Netns.open("/proc/thread-self/ns/net")) {
                List<String> seen = podNs.run(() -> {
                    String outer = threadNetns();
                    String middle = home.run(NetlinkKernelTest::threadNetns);
                    return List.of(outer, middle, threadNetns());
                });
                assertEquals(List.of(inside, before, inside), seen);
            }
            assertEquals(before, threadNetns());
        }
    }

    @Test
    void runFromAVirtualThreadLeavesItsCarrierAlone() throws Exception {
        try (Netns podNs = Netns.open(NetnsFixture.path(pod))) {
            String inside = podNs.run(NetlinkKernelTest::threadNetns);
            java.util.concurrent.atomic.AtomicReference<List<String>> seen = new java.util.concurrent.atomic.AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    String before = threadNetns();
                    seen.set(List.of(before, podNs.run(NetlinkKernelTest::threadNetns), threadNetns()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).join();
            assertEquals(inside, seen.get().get(1));
            assertEquals(seen.get().get(0), seen.get().get(2));
        }
    }

    @Test
    void missingAndNonNetnsPathsGiveClearErrors() throws Exception {
        NetnsException missing = assertThrows(NetnsException.class,
                () -> Netns.open("/var/run/netns/does-not-exist-" + fx.suffix()));
        assertEquals(NetnsException.Kind.MISSING, missing.kind());
        assertEquals("failed to open netns \"/var/run/netns/does-not-exist-" + fx.suffix()
                + "\": no such file or directory", missing.getMessage());
        Path file = Files.createTempFile("notns", "");
        try {
            NetnsException notNs = assertThrows(NetnsException.class, () -> Netns.open(file.toString()));
            assertEquals(NetnsException.Kind.NOT_A_NETNS, notNs.kind());
            assertTrue(notNs.getMessage().startsWith("\"" + file + "\" is not a network namespace (filesystem magic 0x"),
                    notNs.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
