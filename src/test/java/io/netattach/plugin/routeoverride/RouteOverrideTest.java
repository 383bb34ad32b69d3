package io.netattach.plugin.routeoverride;

import io.netattach.cni.CniVersion;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.Result;
import io.netattach.netlink.Netlink;
import io.netattach.netlink.Netns;
import io.netattach.netlink.NetnsFixture;
import io.netattach.netlink.Nl;
import io.netattach.netlink.RouteInfo;
import io.netattach.plugin.routeoverride.PodNetwork.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * route-override against the real kernel (root): per test a fresh node/pod namespace pair with a
 * veth pair, the pod end addressed as a previous macvlan + static ADD would leave it.
 */
class RouteOverrideTest {
    private static final String ADDROUTES = "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"},"
            + "{\"dst\":\"172.16.0.0/12\"},{\"dst\":\"fd01::/64\",\"gw\":\"fd00:100::1\"}]";

    private PodNetwork net;

    @BeforeEach
    void setUp() {
        NetnsFixture.requireRoot();
        net = new PodNetwork();
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    /** Kernel routes of eth1 in the pod's main table, read with our netlink layer, as "dst via gw". */
    private List<String> netlinkRoutes(int family) {
        try (Netns ns = Netns.open(net.podPath); Netlink nl = ns.netlink()) {
            int index = nl.indexOf(PodNetwork.IFNAME).orElseThrow();
            return nl.routes(family, Nl.RT_TABLE_MAIN, index).stream()
                    .map(r -> r.dst() + (r.gateway() == null ? "" : " via " + IpPrefix.format(r.gateway()))).toList();
        }
    }

    private void chain(CniVersion v, BiFunction<Map<String, String>, String, Outcome> runner) {
        String conf = net.config(v, ADDROUTES, net.prevResult(v));
        Outcome add = runner.apply(net.env("ADD"), conf);
        assertEquals(0, add.exit(), add.stdout() + add.stderr());
        JsonObject result = add.json();
        assertEquals(v.text(), ((io.netattach.cni.JsonValue.JsonString) result.get("cniVersion").orElseThrow()).value());
        Result parsed = Result.fromJson(result, "result", v);
        assertEquals(List.of("0.0.0.0/0 via 192.168.100.1", "::/0 via fd00:100::1", "10.0.0.0/8 via 192.168.100.1",
                "172.16.0.0/12", "fd01::/64 via fd00:100::1"), parsed.routes().stream().map(Object::toString).toList());
        if (v.resultHasIpVersion()) {
            assertTrue(add.stdout().contains("\"version\": \"4\""), add.stdout());
        } else {
            assertFalse(add.stdout().contains("\"version\""), add.stdout());
        }

        // kernel state, through our netlink layer and through ip -j route
        assertTrue(netlinkRoutes(Nl.AF_INET).containsAll(List.of("10.0.0.0/8 via 192.168.100.1", "172.16.0.0/12",
                "0.0.0.0/0 via 192.168.100.1")), netlinkRoutes(Nl.AF_INET).toString());
        assertTrue(netlinkRoutes(Nl.AF_INET6).contains("fd01::/64 via fd00:100::1"));
        List<String> ip4 = net.ipRoutes(false);
        assertTrue(ip4.contains("10.0.0.0/8 via 192.168.100.1"), ip4.toString());
        assertTrue(ip4.contains("172.16.0.0/12"), ip4.toString());
        assertTrue(net.ipRoutes(true).stream().anyMatch(r -> r.startsWith("fd01::/64 via fd00:100::1")));

        String withResult = net.config(v, ADDROUTES, result);
        if (v.supportsCheck()) {
            Outcome check = runner.apply(net.env("CHECK"), withResult);
            assertEquals(0, check.exit(), check.stdout());
            assertEquals("", check.stdout());
        }
        Outcome del = runner.apply(net.env("DEL"), withResult);
        assertEquals(0, del.exit(), del.stdout());
        assertFalse(net.ipRoutes(false).contains("10.0.0.0/8 via 192.168.100.1"));
        assertFalse(net.ipRoutes(false).contains("172.16.0.0/12"));
        assertFalse(netlinkRoutes(Nl.AF_INET6).contains("fd01::/64 via fd00:100::1"));
        assertTrue(net.ipRoutes(false).contains("default via 192.168.100.1"), "routes of others stay");
        Outcome again = runner.apply(net.env("DEL"), withResult);
        assertEquals(0, again.exit(), again.stdout());
    }

    @ParameterizedTest
    @EnumSource(value = CniVersion.class, names = {"V0_3_0", "V0_3_1", "V0_4_0", "V1_0_0", "V1_1_0"})
    void chainAddCheckDelDelInProcess(CniVersion v) {
        chain(v, PodNetwork::inProcess);
    }

    @ParameterizedTest
    @EnumSource(value = CniVersion.class, names = {"V0_3_1", "V1_1_0"})
    void chainAddCheckDelDelThroughTheLauncher(CniVersion v) {
        Assumptions.assumeTrue(Files.isExecutable(PodNetwork.LAUNCHER),
                "launcher " + PodNetwork.LAUNCHER + " not built (run through Maven)");
        chain(v, PodNetwork::launcher);
    }

    @Test
    void flushGatewayRemovesDefaultRoutesAndGatewaysAndCheckPasses() {
        CniVersion v = CniVersion.V1_0_0;
        String conf = net.config(v, "\"flushgateway\":true,\"addroutes\":[{\"dst\":\"10.0.0.0/8\","
                + "\"gw\":\"192.168.100.1\"}]", net.prevResult(v));
        Outcome add = PodNetwork.inProcess(net.env("ADD"), conf);
        assertEquals(0, add.exit(), add.stdout());
        assertFalse(add.stdout().contains("\"gateway\""), add.stdout());
        assertEquals(List.of("10.0.0.0/8 via 192.168.100.1", "192.168.100.0/24"), net.ipRoutes(false));
        assertFalse(net.ipRoutes(true).stream().anyMatch(r -> r.startsWith("default")));
        Outcome check = PodNetwork.inProcess(net.env("CHECK"), net.config(v, "\"flushgateway\":true,\"addroutes\":"
                + "[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}]", add.json()));
        assertEquals(0, check.exit(), check.stdout());
    }

    @Test
    void delRoutesRemovesKernelAndResultRoutesAndCheckPasses() {
        CniVersion v = CniVersion.V1_1_0;
        String fields = "\"delroutes\":[{\"dst\":\"0.0.0.0/0\"}]";
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, fields, net.prevResult(v)));
        assertEquals(0, add.exit(), add.stdout());
        assertFalse(net.ipRoutes(false).contains("default via 192.168.100.1"));
        assertTrue(net.ipRoutes(true).stream().anyMatch(r -> r.startsWith("default via fd00:100::1")));
        Result r = Result.fromJson(add.json(), "r", v);
        assertEquals(List.of("::/0 via fd00:100::1"), r.routes().stream().map(Object::toString).toList());
        assertEquals("192.168.100.1", IpPrefix.format(r.ips().getFirst().gateway()), "delroutes keeps gateways");
        Outcome check = PodNetwork.inProcess(net.env("CHECK"), net.config(v, fields, add.json()));
        assertEquals(0, check.exit(), check.stdout());
        // a deleted route that comes back is reported
        NetnsFixture.ip("-n", net.pod, "route", "add", "default", "via", "192.168.100.1", "dev", "eth1");
        Outcome recheck = PodNetwork.inProcess(net.env("CHECK"), net.config(v, fields, add.json()));
        assertEquals(999, recheck.code());
        assertTrue(recheck.msg().startsWith("route 0.0.0.0/0 via 192.168.100.1"), recheck.msg());
    }

    @Test
    void flushRoutesKeepsLinkRoutesOnly() {
        CniVersion v = CniVersion.V1_0_0;
        NetnsFixture.ip("-n", net.pod, "route", "add", "10.200.0.0/16", "via", "192.168.100.1");
        String fields = "\"flushroutes\":true,\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}]";
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, fields, net.prevResult(v)));
        assertEquals(0, add.exit(), add.stdout());
        assertEquals(List.of("10.0.0.0/8 via 192.168.100.1", "192.168.100.0/24"), net.ipRoutes(false));
        assertEquals(List.of("10.0.0.0/8 via 192.168.100.1"), Result.fromJson(add.json(), "r", v).routes().stream()
                .map(Object::toString).toList());
        assertEquals(0, PodNetwork.inProcess(net.env("CHECK"), net.config(v, fields, add.json())).exit());
    }

    @Test
    void metricAndTableExtensions() {
        CniVersion v = CniVersion.V1_1_0;
        String fields = "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\",\"metric\":50},"
                + "{\"dst\":\"172.16.0.0/12\",\"gw\":\"192.168.100.1\",\"table\":100,\"priority\":7}]";
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, fields, net.prevResult(v)));
        assertEquals(0, add.exit(), add.stdout());
        assertTrue(net.ipRoutes(false).contains("10.0.0.0/8 via 192.168.100.1 metric 50"), net.ipRoutes(false)
                .toString());
        assertEquals(List.of("172.16.0.0/12 via 192.168.100.1"), net.ipRoutesTable(100));
        assertTrue(add.stdout().contains("\"table\": 100"), add.stdout());
        assertTrue(add.stdout().contains("\"priority\": 50"), add.stdout());
        assertEquals(0, PodNetwork.inProcess(net.env("CHECK"), net.config(v, fields, add.json())).exit());
        assertEquals(0, PodNetwork.inProcess(net.env("DEL"), net.config(v, fields, add.json())).exit());
        assertTrue(net.ipRoutesTable(100).isEmpty());
        assertFalse(net.ipRoutes(false).contains("10.0.0.0/8 via 192.168.100.1 metric 50"));
    }

    @Test
    void routeThatCannotBeAddedFailsAddWithKernelReasonAndUndoesEverything() {
        CniVersion v = CniVersion.V1_0_0;
        String fields = "\"flushgateway\":true,\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"},"
                + "{\"dst\":\"172.16.0.0/12\",\"gw\":\"10.99.99.1\"}]";
        List<String> before = net.ipRoutes(false);
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, fields, net.prevResult(v)));
        assertEquals(1, add.exit());
        assertEquals(999, add.code());
        assertTrue(add.msg().startsWith("failed to add route 172.16.0.0/12 via 10.99.99.1 dev eth1: network is "
                + "unreachable"), add.msg());
        assertEquals(before, net.ipRoutes(false), "the added route is removed and the flushed default restored");
    }

    @Test
    void checkReportsAMissingRoute() {
        CniVersion v = CniVersion.V1_0_0;
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, ADDROUTES, net.prevResult(v)));
        assertEquals(0, add.exit());
        NetnsFixture.ip("-n", net.pod, "route", "del", "10.0.0.0/8");
        Outcome check = PodNetwork.inProcess(net.env("CHECK"), net.config(v, ADDROUTES, add.json()));
        assertEquals(999, check.code());
        assertEquals("route 10.0.0.0/8 via 192.168.100.1 dev eth1 is missing", check.msg());
    }

    @Test
    void identicalRouteAlreadyPresentIsAccepted() {
        NetnsFixture.ip("-n", net.pod, "route", "add", "10.0.0.0/8", "via", "192.168.100.1", "dev", "eth1");
        CniVersion v = CniVersion.V1_0_0;
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, ADDROUTES, net.prevResult(v)));
        assertEquals(0, add.exit(), add.stdout());
        Outcome conflict = PodNetwork.inProcess(net.env("ADD"), net.config(v,
                "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.2\"}]", net.prevResult(v)));
        assertEquals(999, conflict.code());
        assertTrue(conflict.msg().startsWith("failed to add route 10.0.0.0/8 via 192.168.100.2 dev eth1: file exists"),
                conflict.msg());
    }

    @Test
    void argsCniOverridesTopLevelFields() {
        CniVersion v = CniVersion.V1_0_0;
        String fields = "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}],"
                + "\"args\":{\"cni\":{\"addroutes\":[{\"dst\":\"10.50.0.0/16\",\"gw\":\"192.168.100.1\"}]}}";
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, fields, net.prevResult(v)));
        assertEquals(0, add.exit(), add.stdout());
        assertTrue(net.ipRoutes(false).contains("10.50.0.0/16 via 192.168.100.1"));
        assertFalse(net.ipRoutes(false).contains("10.0.0.0/8 via 192.168.100.1"));
    }

    @Test
    void delSucceedsWhenInterfaceOrNetnsIsGone() {
        CniVersion v = CniVersion.V1_0_0;
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, ADDROUTES, net.prevResult(v)));
        assertEquals(0, add.exit());
        String conf = net.config(v, ADDROUTES, add.json());
        NetnsFixture.ip("-n", net.pod, "link", "del", "eth1");
        assertEquals(0, PodNetwork.inProcess(net.env("DEL"), conf).exit());
        assertEquals(0, PodNetwork.inProcess(net.env("DEL"), conf).exit());
        Map<String, String> gone = net.env("DEL");
        gone.put("CNI_NETNS", "/var/run/netns/gone-" + net.fx.suffix());
        assertEquals(0, PodNetwork.inProcess(gone, conf).exit());
        assertEquals(0, PodNetwork.inProcess(gone, conf).exit());
        Map<String, String> noNetns = net.env("DEL");
        noNetns.remove("CNI_NETNS");
        assertEquals(0, PodNetwork.inProcess(noNetns, net.config(v, ADDROUTES, null)).exit());
    }

    @Test
    void missingNetnsAndAbsentInterfaceOnAdd() {
        CniVersion v = CniVersion.V1_0_0;
        Map<String, String> env = net.env("ADD");
        String missing = "/var/run/netns/none-" + net.fx.suffix();
        env.put("CNI_NETNS", missing);
        Outcome noNs = PodNetwork.inProcess(env, net.config(v, ADDROUTES, net.prevResult(v)));
        assertEquals(3, noNs.code());
        assertEquals("failed to open netns \"" + missing + "\": no such file or directory", noNs.msg());
        Map<String, String> eth9 = net.env("ADD");
        eth9.put("CNI_IFNAME", "eth9");
        JsonObject prev = net.prevResult(v);
        String conf = net.config(v, ADDROUTES, prev).replace("\"name\":\"eth1\"", "\"name\":\"eth9\"");
        Outcome noIf = PodNetwork.inProcess(eth9, conf);
        assertEquals(7, noIf.code());
        assertEquals("interface \"eth9\" not found in netns \"" + net.podPath + "\"", noIf.msg());
    }

    @Test
    void kernelRoutesOfOtherTablesAreUntouched() {
        try (Netns ns = Netns.open(net.podPath); Netlink nl = ns.netlink()) {
            int index = nl.indexOf("eth1").orElseThrow();
            nl.addRoute(RouteInfo.add(IpPrefix.parse("0.0.0.0/0").orElseThrow(), PodNetwork.addr("192.168.100.1"),
                    index).withTable(200));
        }
        CniVersion v = CniVersion.V1_0_0;
        Outcome add = PodNetwork.inProcess(net.env("ADD"), net.config(v, "\"flushgateway\":true",
                net.prevResult(v)));
        assertEquals(0, add.exit(), add.stdout());
        assertEquals(List.of("default via 192.168.100.1"), net.ipRoutesTable(200));
    }
}
