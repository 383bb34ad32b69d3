package io.netattach.plugin.routeoverride;

import io.netattach.cni.CniVersion;
import io.netattach.plugin.routeoverride.PodNetwork.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs rejected before any namespace is touched (no root needed): exact code and message. */
class RouteOverrideInputTest {
    private static final String PREV = "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\","
            + "\"sandbox\":\"/var/run/netns/nowhere\"}],\"ips\":[{\"interface\":0,\"address\":\"192.168.100.10/24\"}]}";

    private static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c1");
        env.put("CNI_NETNS", "/var/run/netns/nowhere-netattach-test");
        env.put("CNI_IFNAME", "eth1");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    private static Outcome add(String fields) {
        return PodNetwork.inProcess(env("ADD"), "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"route-override\""
                + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    private static void expect(int code, String msg, Outcome o) {
        assertEquals(1, o.exit(), o.stdout());
        assertEquals(code, o.code(), o.stdout());
        assertEquals(msg, o.msg());
    }

    @Test
    void noPrevResultIsAClearConfigError() {
        expect(7, "route-override ADD: prevResult is required: route-override must be chained after a plugin that "
                + "creates the interface (e.g. macvlan)", add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\"}]"));
        Outcome check = PodNetwork.inProcess(env("CHECK"),
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"route-override\"}");
        expect(7, "route-override CHECK: prevResult is required: route-override must be chained after a plugin that "
                + "creates the interface (e.g. macvlan)", check);
    }

    @Test
    void malformedJson() {
        Outcome o = PodNetwork.inProcess(env("ADD"), "{\"cniVersion\":\"1.0.0\",\"addroutes\":[");
        assertEquals(6, o.code());
        assertTrue(o.msg().startsWith("error parsing network configuration: "), o.msg());
    }

    @Test
    void wrongFieldTypes() {
        expect(7, "flushroutes must be a boolean (true or false), got \"yes\" (a string)", add("\"flushroutes\":\"yes\"," + PREV));
        expect(7, "addroutes must be an array, got an object", add("\"addroutes\":{}," + PREV));
        expect(7, "route must be an object {\"dst\": CIDR, \"gw\": IP}, got \"10.0.0.0/8\" (a string)",
                add("\"delroutes\":[\"10.0.0.0/8\"]," + PREV));
        expect(7, "metric must be an integer 0..4294967295, got \"50\" (a string)",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"metric\":\"50\"}]," + PREV));
        expect(7, "flushgateway must be a boolean (true or false), got 1 (a number)",
                add("\"args\":{\"cni\":{\"flushgateway\":1}}," + PREV));
        expect(7, "cni must be an object, got an array", add("\"args\":{\"cni\":[]}," + PREV));
    }

    @Test
    void invalidCidrAndIp() {
        expect(7, "dst \"10.0.0.0/33\" is not in CIDR notation ADDRESS/LENGTH",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/33\"}]," + PREV));
        expect(7, "dst \"10.0.0.0\" is not in CIDR notation ADDRESS/LENGTH (a prefix length such as /24 is missing)",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0\"}]," + PREV));
        expect(7, "gw \"192.168.100\" is not an IP address",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\"},{\"dst\":\"172.16.0.0/12\",\"gw\":\"192.168.100\"}],"
                        + PREV));
        expect(7, "gw \"fd00::1\" is IPv6 but dst \"10.0.0.0/8\" is IPv4: a route's gw must be of the dst's family",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"fd00::1\"}]," + PREV));
        expect(7, "dst is missing: a route needs a destination CIDR such as 10.0.0.0/8 (0.0.0.0/0 for a default route)", add("\"addroutes\":[{\"gw\":\"1.2.3.4\"}]," + PREV));
        expect(7, "dst \"default\" is not in CIDR notation ADDRESS/LENGTH",
                add("\"delroutes\":[{\"dst\":\"default\"}]," + PREV));
        expect(7, "field \"prevResult.ips[0].address\": expected a CIDR, got \"10.1.1.1\"",
                add("\"prevResult\":{\"ips\":[{\"address\":\"10.1.1.1\"}]}"));
    }

    @Test
    void extensionFieldRules() {
        expect(7, "metric 5 and priority 6 differ: they are the same setting (write one of them)",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"metric\":5,\"priority\":6}]," + PREV));
        expect(7, "table 255 is reserved (0 unspecified, 253 default, 255 local): use 1..252 or 256 and above",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"table\":255}]," + PREV));
        expect(7, "metric -1 is out of range: must be an integer 0..4294967295",
                add("\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"metric\":-1}]," + PREV));
    }

    @Test
    void missingEnvironmentVariables() {
        Map<String, String> env = env("ADD");
        env.remove("CNI_NETNS");
        env.remove("CNI_CONTAINERID");
        Outcome o = PodNetwork.inProcess(env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"," + PREV + "}");
        expect(4, "required env variables [CNI_CONTAINERID,CNI_NETNS] missing", o);
    }

    @Test
    void unknownAndTooOldCniVersion() {
        Outcome unknown = PodNetwork.inProcess(env("ADD"), "{\"cniVersion\":\"2.0.0\",\"name\":\"n\"," + PREV + "}");
        expect(1, "incompatible CNI versions", unknown);
        assertTrue(unknown.stdout().contains("config is \\\"2.0.0\\\", plugin supports [\\\"0.3.0\\\" \\\"0.3.1\\\" "
                + "\\\"0.4.0\\\" \\\"1.0.0\\\" \\\"1.1.0\\\"]"), unknown.stdout());
        Outcome old = PodNetwork.inProcess(env("ADD"), "{\"cniVersion\":\"0.2.0\",\"name\":\"n\"," + PREV + "}");
        expect(1, "incompatible CNI versions", old);
    }

    @Test
    void statusAndGcAtOneOneZero() {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin"));
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"route-override\"}";
        Outcome status = PodNetwork.inProcess(env, conf);
        assertEquals(0, status.exit(), status.stdout());
        env.put("CNI_COMMAND", "GC");
        Outcome gc = PodNetwork.inProcess(env, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":"
                + "\"route-override\",\"cni.dev/valid-attachments\":[]}");
        assertEquals(0, gc.exit(), gc.stdout());
    }

    @Test
    void launcherPrintsExactlyOneErrorObjectOnStdout() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(PodNetwork.LAUNCHER),
                "launcher " + PodNetwork.LAUNCHER + " not built (run through Maven)");
        Outcome o = PodNetwork.launcher(env("ADD"), "{\"cniVersion\":\"1.0.0\",");
        assertEquals(1, o.exit(), o.stderr());
        assertEquals(6, o.code());
        assertTrue(o.stdout().strip().startsWith("{") && o.stdout().strip().endsWith("}"), o.stdout());
        Map<String, String> missing = env("DEL");
        missing.remove("CNI_IFNAME");
        Outcome m = PodNetwork.launcher(missing, "{}");
        assertEquals(4, m.code());
        assertEquals("required env variables [CNI_IFNAME] missing", m.msg());
        Outcome noPrev = PodNetwork.launcher(env("ADD"), "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}");
        assertEquals(7, noPrev.code());
    }

    @Test
    void versionListsOneOneZero() {
        Outcome o = PodNetwork.inProcess(Map.of("CNI_COMMAND", "VERSION"), "");
        assertEquals(0, o.exit());
        assertTrue(o.stdout().contains("\"1.1.0\""));
        assertTrue(CniVersion.CURRENT == CniVersion.V1_1_0);
    }
}
