package io.netattach.bench;

import io.netattach.plugin.Plugins;
import io.netattach.plugin.Skeleton;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * route-override ADD+DEL in process, through the CNI skeleton as the executable runs it (JSON in,
 * netns open, a netlink socket in the pod namespace, 2 routes added, then removed, JSON out), without
 * the process start. The pod namespace holds eth1 (a veth end) with 192.168.100.10/24. Target: under
 * 2 ms. Needs root. The launcher side (JVM start, AOT cache) is {@code bench/RouteOverrideBench.java}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class RouteOverrideBenchmark {

    private static final String ROUTES = "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"},"
            + "{\"dst\":\"172.16.0.0/12\"}]";

    private String node;
    private String pod;
    private String addConf;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
        node = "jmh-node-" + suffix;
        pod = "jmh-pod-" + suffix;
        sh("ip", "netns", "add", node);
        sh("ip", "netns", "add", pod);
        sh("ip", "-n", node, "link", "add", "bh" + suffix, "type", "veth", "peer", "name", "bp" + suffix);
        sh("ip", "-n", node, "link", "set", "bp" + suffix, "netns", pod);
        sh("ip", "-n", pod, "link", "set", "bp" + suffix, "name", "eth1");
        sh("ip", "-n", node, "link", "set", "bh" + suffix, "up");
        sh("ip", "-n", pod, "addr", "add", "192.168.100.10/24", "dev", "eth1");
        sh("ip", "-n", pod, "link", "set", "eth1", "up");
        String prev = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\",\"sandbox\":\"" + netns()
                + "\"}],\"ips\":[{\"interface\":0,\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}]}";
        addConf = conf(prev);
        addDel(); // fails here, not in the measurement, when the plugin cannot run
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        new ProcessBuilder("ip", "netns", "del", pod).start().waitFor();
        new ProcessBuilder("ip", "netns", "del", node).start().waitFor();
    }

    /** ADD (2 routes) then DEL with the ADD's result as prevResult, as the runtime calls them. */
    @Benchmark
    public String addDel() {
        String result = run("ADD", addConf);
        return run("DEL", conf(result.strip()));
    }

    private String netns() {
        return "/var/run/netns/" + pod;
    }

    private static String conf(String prevResult) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"route-override\"," + ROUTES
                + ",\"prevResult\":" + prevResult + "}";
    }

    private String run(String command, String stdin) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "jmh");
        env.put("CNI_NETNS", netns());
        env.put("CNI_IFNAME", "eth1");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("CNI_ARGS", "IgnoreUnknown=true");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Skeleton.run(Plugins.lookup("route-override").orElseThrow(), env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, false, StandardCharsets.UTF_8), System.err);
        if (rc != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }
}
