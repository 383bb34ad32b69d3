package io.netattach.cli;

import io.netattach.cni.CniException;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;
import io.netattach.plugin.chain.ChainRunner;
import io.netattach.plugin.chain.ExecPluginInvoker;
import io.netattach.plugin.chain.InProcessPluginInvoker;
import io.netattach.plugin.chain.PluginInvoker;
import io.netattach.plugin.chain.RuntimeConf;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The seed chain benchmark run by {@code bench/chain.sh} (outside the production jar; compiled with
 * {@code -Pbench}): times N rounds of the seed chain ADD+DEL (both networks of the pod) in one
 * node/pod namespace pair: in process (no JVM start), through the bundled plugin executables and, for
 * the part the reference plugins cover (macvlan + static; Debian's set has no route-override), through
 * the reference Go plugins and through the bundled executables. Prints median and p99 and the ratios.
 * The in-process figure alone, under JMH, is {@link SeedChainBenchmark}.
 *
 * <p>{@code ChainBench [ROUNDS] [--examples DIR] [--cni-path DIR[:DIR...]] [--reference-path DIR[:DIR...]]}
 * (needs root).
 */
public final class ChainBench {

    private final PrintStream out;
    private final PrintStream err;

    ChainBench(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int rounds = 30;
        Path examples = Path.of("deploy/examples");
        String cniPath = null;
        String referencePath = "/usr/lib/cni";
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--examples" -> examples = Path.of(args[++i]);
                    case "--cni-path" -> cniPath = args[++i];
                    case "--reference-path" -> referencePath = args[++i];
                    default -> rounds = Integer.parseInt(args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            System.err.println("usage: ChainBench [ROUNDS] [--examples DIR] [--cni-path DIR] [--reference-path DIR]");
            System.exit(2);
        }
        if (!DemoCommand.isRoot()) {
            System.err.println("chain benchmark: needs root (network namespaces)");
            System.exit(2);
        }
        int status;
        try {
            List<Path> bundled = cniPath != null ? DemoCommand.split(cniPath) : List.of(DemoCommand.defaultPluginDir());
            status = new ChainBench(System.out, System.err).run(DemoCommand.readScenario(examples), bundled,
                    DemoCommand.split(referencePath), rounds);
        } catch (IllegalStateException | IllegalArgumentException | ManifestReader.UnreadableInputException e) {
            System.err.println("chain benchmark: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    int run(List<DemoCommand.Attachment> attachments, List<Path> bundled, List<Path> reference, int rounds) {
        try (DemoCommand.Namespaces ns = DemoCommand.Namespaces.create("netattach-bench")) {
            boolean vlan = DemoCommand.vlanSupported(ns.node);
            List<DemoCommand.Attachment> full = vlan ? attachments : attachments.stream()
                    .map(a -> new DemoCommand.Attachment(a.name(), a.ifName(), DemoCommand.withoutVlan(a.conflist())))
                    .toList();
            // macvlan + static only, untagged: what the reference plugins can run
            List<DemoCommand.Attachment> macvlanStatic = full.stream().map(a -> new DemoCommand.Attachment(a.name(),
                    a.ifName(), firstPluginOnly(DemoCommand.withoutVlan(a.conflist())))).toList();
            out.println("netattach chain benchmark: " + rounds + " rounds of ADD+DEL of " + full.size()
                    + " networks (" + String.join(", ", full.stream().map(DemoCommand.Attachment::name).toList()) + ")"
                    + (vlan ? "" : ", untagged (no 802.1Q in this kernel)"));
            ExecPluginInvoker bundledExec = ExecPluginInvoker.inNetns(bundled, ns.nodePath());
            ExecPluginInvoker referenceExec = ExecPluginInvoker.inNetns(reference, ns.nodePath());

            Rounds floor = kernelFloor(ns, full.size(), rounds, 20);
            Rounds inProc;
            // the whole chain runs on one thread inside the node namespace: no handoff per plugin call; 200
            // warm-up rounds let the JIT compile the plugin code (20 left it partly interpreted: ADD 4.8 vs 3.5 ms)
            try (io.netattach.netlink.Netns node = io.netattach.netlink.Netns.open(ns.nodePath())) {
                inProc = node.run(() -> time(ns, full, new InProcessPluginInvoker(null), bundled, rounds, 200));
            }
            Rounds seedBundled = time(ns, full, bundledExec, bundled, rounds, 1);
            Rounds mvsBundled = time(ns, macvlanStatic, bundledExec, bundled, rounds, 1);
            Rounds mvsReference = null;
            if (Files.isExecutable(reference.getFirst().resolve("macvlan"))) {
                mvsReference = time(ns, macvlanStatic, referenceExec, reference, rounds, 1);
            }
            out.println();
            out.printf(Locale.ROOT, "%-66s %10s %10s%n", "ADD+DEL of the pod's networks", "median ms", "p99 ms");
            row("kernel work alone (create, rename, address, up, 2 routes, delete)", floor.total());
            row("  of which deleting the links (RTM_DELLINK)", floor.del());
            row("seed chain, bundled, in process (no JVM start)", inProc.total());
            row("  ADD of both networks", inProc.add());
            row("  DEL of both networks", inProc.del());
            row("seed chain, bundled executables " + DemoCommand.join(bundled), seedBundled.total());
            row("macvlan+static, bundled executables", mvsBundled.total());
            if (mvsReference != null) {
                row("macvlan+static, reference Go plugins " + DemoCommand.join(reference), mvsReference.total());
                out.printf(Locale.ROOT, "ratio bundled/reference (macvlan+static): median %.1fx, p99 %.1fx%n",
                        median(mvsBundled.total()) / median(mvsReference.total()),
                        p99(mvsBundled.total()) / p99(mvsReference.total()));
            } else {
                out.println("reference plugins not found in " + DemoCommand.join(reference) + ": no ratio");
            }
            double total = median(inProc.total());
            double kernel = median(floor.total());
            double overhead = total - kernel;
            out.printf(Locale.ROOT, "in-process seed chain ADD+DEL: median %.2f ms; the kernel's own work %.2f ms (deleting"
                    + " the links alone %.2f ms); the plugins' own time %.2f ms%n", total, kernel,
                    median(floor.del()), overhead);
            out.println("target < 5 ms: " + (total < 5 ? "met"
                    : overhead < 5 ? "met for the plugins' own time; not in total, since this kernel spends longer than"
                    + " that in RTM_DELLINK alone (unregistering a link waits for RCU grace periods)"
                    : "NOT met"));
            return 0;
        } catch (CniException e) {
            err.println("bench: " + e.error().msg());
            return 1;
        }
    }

    private void row(String label, double[] ms) {
        out.printf(Locale.ROOT, "%-66s %10.2f %10.2f%n", label, median(ms), p99(ms));
    }

    /** Milliseconds per round: the whole round, its ADD part and its DEL part. */
    record Rounds(double[] total, double[] add, double[] del) {
        Rounds(int rounds) {
            this(new double[rounds], new double[rounds], new double[rounds]);
        }

        void record(int round, long start, long delStart, long end) {
            if (round >= 0) {
                total[round] = (end - start) / 1e6;
                add[round] = (delStart - start) / 1e6;
                del[round] = (end - delStart) / 1e6;
            }
        }
    }

    /** ADD of every network, then DEL in reverse, {@code rounds} times after {@code warmup} rounds. */
    private static Rounds time(DemoCommand.Namespaces ns, List<DemoCommand.Attachment> attachments,
                               PluginInvoker invoker, List<Path> cniPath, int rounds, int warmup) {
        ChainRunner runner = new ChainRunner(invoker, cniPath);
        List<NetworkConfigList> lists = attachments.stream().map(a -> ChainRunner.parse(a.conflist())).toList();
        Rounds timings = new Rounds(rounds);
        for (int r = -warmup; r < rounds; r++) {
            long start = System.nanoTime();
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < attachments.size(); i++) {
                RuntimeConf rt = DemoCommand.runtimeConf(ns, attachments.get(i));
                results.add(runner.add(lists.get(i), rt));
            }
            long delStart = System.nanoTime();
            for (int i = attachments.size() - 1; i >= 0; i--) {
                runner.del(lists.get(i), DemoCommand.runtimeConf(ns, attachments.get(i)), results.get(i));
            }
            timings.record(r, start, delStart, System.nanoTime());
        }
        return timings;
    }

    /**
     * The kernel's share: the netlink requests a seed ADD+DEL makes, issued directly (macvlan created in the
     * pod via IFLA_NET_NS_FD, renamed, address, up, two routes, deleted), per network.
     */
    private static Rounds kernelFloor(DemoCommand.Namespaces ns, int networks, int rounds, int warmup) {
        try (io.netattach.netlink.Netns node = io.netattach.netlink.Netns.open(ns.nodePath());
             io.netattach.netlink.Netns pod = io.netattach.netlink.Netns.open(ns.podPath());
             io.netattach.netlink.Netlink host = node.netlink(); io.netattach.netlink.Netlink podNl = pod.netlink()) {
            int master = host.indexOf("br-ex").orElseThrow();
            Rounds timings = new Rounds(rounds);
            for (int r = -warmup; r < rounds; r++) {
                long start = System.nanoTime();
                List<Integer> links = new ArrayList<>();
                for (int i = 0; i < networks; i++) {
                    host.addMacvlan(io.netattach.netlink.Netlink.MacvlanSpec.bridge("mvbench" + i, master, pod.fd()));
                    int index = podNl.indexOf("mvbench" + i).orElseThrow();
                    podNl.setLinkName(index, "bench" + i);
                    podNl.addAddress(index, io.netattach.cni.IpPrefix.parse("192.168." + (100 + i) + ".10/24").orElseThrow());
                    podNl.setLinkUp(index);
                    java.net.InetAddress gw = io.netattach.cni.IpPrefix.parseAddress("192.168." + (100 + i) + ".1").orElseThrow();
                    podNl.addRoute(io.netattach.netlink.RouteInfo.add(io.netattach.cni.IpPrefix.parse("10." + i + ".0.0/16")
                            .orElseThrow(), gw, index));
                    podNl.addRoute(io.netattach.netlink.RouteInfo.add(io.netattach.cni.IpPrefix.parse("10." + (50 + i)
                            + ".0.0/16").orElseThrow(), gw, index));
                    links.add(index);
                }
                long delStart = System.nanoTime();
                for (int i = links.size() - 1; i >= 0; i--) {
                    podNl.deleteLink(links.get(i));
                }
                timings.record(r, start, delStart, System.nanoTime());
            }
            return timings;
        }
    }

    /** The conflist reduced to its first plugin (macvlan with its IPAM). */
    static String firstPluginOnly(String conflist) {
        JsonObject list = (JsonObject) Json.parse(conflist);
        if (list.get("plugins").orElse(null) instanceof JsonValue.JsonArray plugins && !plugins.elements().isEmpty()) {
            return list.with("plugins", new JsonValue.JsonArray(List.of(plugins.elements().getFirst()))).toJson();
        }
        return conflist;
    }

    static double median(double[] ms) {
        return percentile(ms, 50);
    }

    static double p99(double[] ms) {
        return percentile(ms, 99);
    }

    static double percentile(double[] ms, double p) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
