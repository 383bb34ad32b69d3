import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * route-override ADD+DEL latency through the target/cni-bin/route-override launcher as a real process
 * (JVM start included), plus a breakdown of the launcher cost. The in-process figure (the plugin's own
 * work) is the JMH benchmark io.netattach.bench.RouteOverrideBenchmark. Run by bench/route-override.sh
 * (root: it creates network namespaces).
 */
public class RouteOverrideBench {
    static final String SUFFIX = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    static final String NODE = "bnode-" + SUFFIX;
    static final String POD = "bpod-" + SUFFIX;
    static final String NS = "/var/run/netns/" + POD;

    static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + new String(out));
        }
        return rc;
    }

    static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "bench");
        env.put("CNI_NETNS", NS);
        env.put("CNI_IFNAME", "eth1");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("CNI_ARGS", "IgnoreUnknown=true");
        return env;
    }

    static final String ROUTES = "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"},"
            + "{\"dst\":\"172.16.0.0/12\"}]";
    static final String PREV = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\",\"sandbox\":\"" + NS
            + "\"}],\"ips\":[{\"interface\":0,\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}]}";
    static final String CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"route-override\","
            + ROUTES + ",\"prevResult\":" + PREV + "}";

    static String delConf(String addResult) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"route-override\"," + ROUTES
                + ",\"prevResult\":" + addResult.strip() + "}";
    }

    static String exec(List<String> cmd, String command, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env(command));
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(cmd + " " + command + " failed: " + out);
        }
        return out;
    }

    static String stats(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double median = s[s.length / 2] / 1e6;
        double p99 = s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)] / 1e6;
        return String.format("median %8.2f ms   p99 %8.2f ms   (n=%d)", median, p99, s.length);
    }

    public static void main(String[] args) throws Exception {
        int launcherRuns = Integer.parseInt(System.getProperty("launcherRuns", "30"));
        Path bin = Path.of(System.getProperty("cniBin", "target/cni-bin"));
        sh("ip", "netns", "add", NODE);
        sh("ip", "netns", "add", POD);
        try {
            sh("ip", "-n", NODE, "link", "add", "bh" + SUFFIX, "type", "veth", "peer", "name", "bp" + SUFFIX);
            sh("ip", "-n", NODE, "link", "set", "bp" + SUFFIX, "netns", POD);
            sh("ip", "-n", POD, "link", "set", "bp" + SUFFIX, "name", "eth1");
            sh("ip", "-n", NODE, "link", "set", "bh" + SUFFIX, "up");
            sh("ip", "-n", POD, "addr", "add", "192.168.100.10/24", "dev", "eth1");
            sh("ip", "-n", POD, "link", "set", "eth1", "up");

            List<String> launcher = List.of(bin.resolve("route-override").toAbsolutePath().toString());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String jar = bin.resolve("netattach-plugins.jar").toAbsolutePath().toString();
            List<String> noAot = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                    "--enable-native-access=ALL-UNNAMED", "-Dnetattach.plugin=route-override", "-cp", jar,
                    "io.netattach.plugin.PluginMain");
            exec(launcher, "VERSION", "");
            long[] viaLauncher = new long[launcherRuns];
            long[] addOnly = new long[launcherRuns];
            long[] version = new long[launcherRuns];
            long[] withoutAot = new long[launcherRuns];
            long[] jvmOnly = new long[launcherRuns];
            for (int i = 0; i < launcherRuns; i++) {
                long t0 = System.nanoTime();
                String result = exec(launcher, "ADD", CONF);
                long t1 = System.nanoTime();
                exec(launcher, "DEL", delConf(result));
                long t2 = System.nanoTime();
                viaLauncher[i] = t2 - t0;
                addOnly[i] = t1 - t0;

                t0 = System.nanoTime();
                exec(launcher, "VERSION", "");
                version[i] = System.nanoTime() - t0;

                t0 = System.nanoTime();
                result = exec(noAot, "ADD", CONF);
                exec(noAot, "DEL", delConf(result));
                withoutAot[i] = System.nanoTime() - t0;

                t0 = System.nanoTime();
                exec(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-version"),
                        "VERSION", "");
                jvmOnly[i] = System.nanoTime() - t0;
            }
            System.out.println("route-override ADD+DEL (2 routes added and removed in a pod netns)");
            System.out.println("  launcher target/cni-bin/route-override (AOT):   " + stats(viaLauncher));
            System.out.println("launcher breakdown (one process each):");
            System.out.println("  ADD alone through the launcher:                 " + stats(addOnly));
            System.out.println("  VERSION through the launcher (JVM + skeleton,");
            System.out.println("    no FFM downcall, no netlink):                 " + stats(version));
            System.out.println("  ADD+DEL without the AOT cache:                  " + stats(withoutAot));
            System.out.println("  bare JVM start (java -version, same flags):     " + stats(jvmOnly));
        } finally {
            new ProcessBuilder("ip", "netns", "del", POD).start().waitFor();
            new ProcessBuilder("ip", "netns", "del", NODE).start().waitFor();
        }
    }
}
