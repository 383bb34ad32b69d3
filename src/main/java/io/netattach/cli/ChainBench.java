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
 * {@code demo --bench N}: times N rounds of the seed chain ADD+DEL (both networks of the pod) in one
 * node/pod namespace pair: in process (no JVM start), through the bundled plugin executables and, for
 * the part the reference plugins cover (macvlan + static; Debian's set has no route-override), through
 * the reference Go plugins and through the bundled executables. Prints median and p99 and the ratios.
 */
final class ChainBench {

    private final PrintStream out;
    private final PrintStream err;

    ChainBench(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
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

            double[] floor = kernelFloor(ns, full.size(), rounds, 20);
            double[] inProc;
            // the whole chain runs on one thread inside the node namespace: no handoff per plugin call
            try (io.netattach.netlink.Netns node = io.netattach.netlink.Netns.open(ns.nodePath())) {
                inProc = node.run(() -> time(ns, full, new InProcessPluginInvoker(null), bundled, rounds, 20));
            }
            double[] seedBundled = time(ns, full, bundledExec, bundled, rounds, 1);
            double[] mvsBundled = time(ns, macvlanStatic, bundledExec, bundled, rounds, 1);
            double[] mvsReference = null;
            if (Files.isExecutable(reference.getFirst().resolve("macvlan"))) {
                mvsReference = time(ns, macvlanStatic, referenceExec, reference, rounds, 1);
            }
            out.println();
            out.printf(Locale.ROOT, "%-58s %10s %10s%n", "ADD+DEL of the pod's networks", "median ms", "p99 ms");
            row("kernel work alone (netlink: create, rename, address, up, 2 routes, delete)", floor);
            row("seed chain, bundled, in process (no JVM start)", inProc);
            row("seed chain, bundled executables " + DemoCommand.join(bundled), seedBundled);
            row("macvlan+static, bundled executables", mvsBundled);
            if (mvsReference != null) {
                row("macvlan+static, reference Go plugins " + DemoCommand.join(reference), mvsReference);
                out.printf(Locale.ROOT, "ratio bundled/reference (macvlan+static): median %.1fx, p99 %.1fx%n",
                        median(mvsBundled) / median(mvsReference), p99(mvsBundled) / p99(mvsReference));
            } else {
                out.println("reference plugins not found in " + DemoCommand.join(reference) + ": no ratio");
            }
            double overhead = median(inProc) - median(floor);
            out.printf(Locale.ROOT, "in-process seed chain ADD+DEL: median %.2f ms, of which the kernel's own link/address/"
                    + "route work %.2f ms; plugin overhead %.2f ms (target < 5 ms: %s)%n", median(inProc), median(floor),
                    overhead, median(inProc) < 5 ? "met in total" : overhead < 5 ? "met for the plugins' own time;"
                    + " RTM_DELLINK alone waits for RCU grace periods on this kernel" : "NOT met");
            return 0;
        } catch (CniException e) {
            err.println("bench: " + e.error().msg());
            return 1;
        }
    }

    private void row(String label, double[] ms) {
        out.printf(Locale.ROOT, "%-58s %10.2f %10.2f%n", label, median(ms), p99(ms));
    }

    /** Milliseconds per round (ADD of every network, then DEL in reverse), after {@code warmup} rounds. */
    private static double[] time(DemoCommand.Namespaces ns, List<DemoCommand.Attachment> attachments,
                                 PluginInvoker invoker, List<Path> cniPath, int rounds, int warmup) {
        ChainRunner runner = new ChainRunner(invoker, cniPath);
        List<NetworkConfigList> lists = attachments.stream().map(a -> ChainRunner.parse(a.conflist())).toList();
        double[] ms = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            long start = System.nanoTime();
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < attachments.size(); i++) {
                RuntimeConf rt = DemoCommand.runtimeConf(ns, attachments.get(i));
                results.add(runner.add(lists.get(i), rt));
            }
            for (int i = attachments.size() - 1; i >= 0; i--) {
                runner.del(lists.get(i), DemoCommand.runtimeConf(ns, attachments.get(i)), results.get(i));
            }
            long elapsed = System.nanoTime() - start;
            if (r >= 0) {
                ms[r] = elapsed / 1e6;
            }
        }
        return ms;
    }

    /**
     * The kernel's share: the netlink requests a seed ADD+DEL makes, issued directly (macvlan created in the
     * pod via IFLA_NET_NS_FD, renamed, address, up, two routes, deleted), per network.
     */
    private static double[] kernelFloor(DemoCommand.Namespaces ns, int networks, int rounds, int warmup) {
        try (io.netattach.netlink.Netns node = io.netattach.netlink.Netns.open(ns.nodePath());
             io.netattach.netlink.Netns pod = io.netattach.netlink.Netns.open(ns.podPath());
             io.netattach.netlink.Netlink host = node.netlink(); io.netattach.netlink.Netlink podNl = pod.netlink()) {
            int master = host.indexOf("br-ex").orElseThrow();
            double[] ms = new double[rounds];
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
                for (int i = links.size() - 1; i >= 0; i--) {
                    podNl.deleteLink(links.get(i));
                }
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - start) / 1e6;
                }
            }
            return ms;
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
