package io.netattach.cli;

import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;
import io.netattach.netlink.Netns;
import io.netattach.plugin.chain.ChainRunner;
import io.netattach.plugin.chain.InProcessPluginInvoker;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seed chain in process: ADD of both networks of {@code deploy/examples/pod.yaml} (macvlan on br-ex
 * VLAN 100/200 + static IPAM + route-override) in a fresh pod namespace, then DEL in reverse, with the
 * bundled plugins called inside this JVM ({@link InProcessPluginInvoker}), on the benchmark thread
 * inside the node namespace. The kernel's own share and the comparison with the plugin executables and
 * the reference Go plugins are printed by {@link ChainBench} ({@code bench/chain.sh}). Needs root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"})
public class SeedChainBenchmark {

    private DemoCommand.Namespaces ns;
    private Netns node;
    private ChainRunner runner;
    private List<DemoCommand.Attachment> attachments;
    private List<NetworkConfigList> lists;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!DemoCommand.isRoot()) {
            throw new IllegalStateException("the seed chain benchmark needs root (network namespaces)");
        }
        ns = DemoCommand.Namespaces.create("netattach-jmh");
        boolean vlan = DemoCommand.vlanSupported(ns.node);
        attachments = DemoCommand.readScenario(Path.of("deploy/examples")).stream()
                .map(a -> vlan ? a : new DemoCommand.Attachment(a.name(), a.ifName(), DemoCommand.withoutVlan(a.conflist())))
                .toList();
        lists = attachments.stream().map(a -> ChainRunner.parse(a.conflist())).toList();
        runner = new ChainRunner(new InProcessPluginInvoker(null), List.of(Path.of("target/cni-bin").toAbsolutePath()));
        node = Netns.open(ns.nodePath());
        addDel(); // fails here, not in the measurement, when the scenario cannot run
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (node != null) {
            node.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    /** ADD of both networks, then DEL in reverse: what a pod start and stop cost the plugins and the kernel. */
    @Benchmark
    public int addDel() throws Exception {
        return node.run(() -> {
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < attachments.size(); i++) {
                results.add(runner.add(lists.get(i), DemoCommand.runtimeConf(ns, attachments.get(i))));
            }
            for (int i = attachments.size() - 1; i >= 0; i--) {
                runner.del(lists.get(i), DemoCommand.runtimeConf(ns, attachments.get(i)), results.get(i));
            }
            return results.size();
        });
    }
}
