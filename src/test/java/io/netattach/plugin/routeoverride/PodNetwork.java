package io.netattach.plugin.routeoverride;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Interface;
import io.netattach.cni.IpConfig;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Result;
import io.netattach.cni.Route;
import io.netattach.netlink.NetnsFixture;
import io.netattach.plugin.Plugins;
import io.netattach.plugin.Skeleton;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A node netns and a pod netns joined by a veth pair, the pod end named {@code eth1} with
 * 192.168.100.10/24 and fd00:100::10/64 and a default route via 192.168.100.1 — what a previous
 * macvlan + static ADD leaves behind — plus the matching prevResult. Closing deletes both
 * namespaces (and with them the veth pair).
 */
final class PodNetwork implements AutoCloseable {
    static final String IFNAME = "eth1";
    final NetnsFixture fx = new NetnsFixture();
    final String node;
    final String pod;
    final String podPath;

    PodNetwork() {
        boolean ok = false;
        try {
            node = fx.addNetns("ronode");
            pod = fx.addNetns("ropod");
            podPath = NetnsFixture.path(pod);
            String hostEnd = "ro" + fx.suffix();
            String podEnd = "rp" + fx.suffix();
            NetnsFixture.ip("-n", node, "link", "add", hostEnd, "type", "veth", "peer", "name", podEnd);
            NetnsFixture.ip("-n", node, "link", "set", podEnd, "netns", pod);
            NetnsFixture.ip("-n", pod, "link", "set", podEnd, "name", IFNAME);
            NetnsFixture.ip("-n", node, "addr", "add", "192.168.100.1/24", "dev", hostEnd);
            NetnsFixture.ip("-n", node, "link", "set", hostEnd, "up");
            NetnsFixture.ip("-n", pod, "addr", "add", "192.168.100.10/24", "dev", IFNAME);
            NetnsFixture.ip("-n", pod, "addr", "add", "fd00:100::10/64", "dev", IFNAME, "nodad");
            NetnsFixture.ip("-n", pod, "link", "set", IFNAME, "up");
            NetnsFixture.ip("-n", pod, "route", "add", "default", "via", "192.168.100.1", "dev", IFNAME);
            NetnsFixture.ip("-n", pod, "-6", "route", "add", "default", "via", "fd00:100::1", "dev", IFNAME);
            ok = true;
        } finally {
            if (!ok) {
                fx.close();
            }
        }
    }

    /** The result of the previous plugins (macvlan + static), in {@code version}. */
    JsonObject prevResult(CniVersion version) {
        Result r = Result.empty(version)
                .withInterfaces(List.of(new Interface(IFNAME, "02:00:00:00:00:10", podPath)))
                .withIps(List.of(
                        new IpConfig(IpPrefix.parse("192.168.100.10/24").orElseThrow(), addr("192.168.100.1"), 0),
                        new IpConfig(IpPrefix.parse("fd00:100::10/64").orElseThrow(), addr("fd00:100::1"), 0)))
                .withRoutes(List.of(Route.of(IpPrefix.parse("0.0.0.0/0").orElseThrow(), addr("192.168.100.1")),
                        Route.of(IpPrefix.parse("::/0").orElseThrow(), addr("fd00:100::1"))));
        return r.toJson(version);
    }

    static java.net.InetAddress addr(String s) {
        return IpPrefix.parseAddress(s).orElseThrow();
    }

    /** The plugin config: {@code fields} (JSON members text) plus cniVersion, name, type, prevResult. */
    String config(CniVersion version, String fields, JsonObject prevResult) {
        JsonObject base = (JsonObject) Json.parse("{\"cniVersion\":\"" + version.text()
                + "\",\"name\":\"management-net\",\"type\":\"route-override\"" + (fields.isEmpty() ? "" : "," + fields)
                + "}");
        if (prevResult != null) {
            base = base.with("prevResult", prevResult);
        }
        return base.toJson();
    }

    Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "pod-" + fx.suffix());
        env.put("CNI_NETNS", podPath);
        env.put("CNI_IFNAME", IFNAME);
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("CNI_ARGS", "IgnoreUnknown=true;K8S_POD_NAMESPACE=default;K8S_POD_NAME=chain-test");
        return env;
    }

    /** Outcome of one plugin invocation. */
    record Outcome(int exit, String stdout, String stderr) {
        JsonObject json() {
            return (JsonObject) Json.parse(stdout);
        }

        long code() {
            return ((JsonValue.JsonNumber) json().get("code").orElseThrow()).longValue().orElseThrow();
        }

        String msg() {
            return ((JsonString) json().get("msg").orElseThrow()).value();
        }
    }

    /** Runs route-override in-process through the skeleton. */
    static Outcome inProcess(Map<String, String> env, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Skeleton.run(Plugins.lookup("route-override").orElseThrow(), env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final Path LAUNCHER = Path.of("target", "cni-bin", "route-override");

    /** Runs the {@code target/cni-bin/route-override} launcher as a real process. */
    static Outcome launcher(Map<String, String> env, String stdin) {
        try {
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toAbsolutePath().toString());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().putAll(env);
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("launcher timed out");
            }
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + LAUNCHER + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The pod's main-table routes as {@code ip -j route} reports them: "dst via gw dev" strings. */
    List<String> ipRoutes(boolean v6) {
        List<String> out = new ArrayList<>();
        String json = NetnsFixture.ip("-j", "-n", pod, v6 ? "-6" : "-4", "route", "show");
        for (JsonValue v : ((JsonArray) Json.parse(json)).elements()) {
            JsonObject o = (JsonObject) v;
            String dst = ((JsonString) o.get("dst").orElseThrow()).value();
            String gw = o.get("gateway").map(g -> " via " + ((JsonString) g).value()).orElse("");
            String metric = o.get("metric").map(m -> " metric " + m.toJson()).orElse("");
            out.add(dst + gw + metric);
        }
        return out;
    }

    List<String> ipRoutesTable(int table) {
        List<String> out = new ArrayList<>();
        String json = NetnsFixture.ip("-j", "-n", pod, "route", "show", "table", Integer.toString(table));
        for (JsonValue v : ((JsonArray) Json.parse(json)).elements()) {
            JsonObject o = (JsonObject) v;
            String gw = o.get("gateway").map(g -> " via " + ((JsonString) g).value()).orElse("");
            out.add(((JsonString) o.get("dst").orElseThrow()).value() + gw);
        }
        return out;
    }

    @Override
    public void close() {
        fx.close();
    }
}
