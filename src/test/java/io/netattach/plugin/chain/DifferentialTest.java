package io.netattach.plugin.chain;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.netlink.Netns;
import io.netattach.plugin.IpamDelegate;
import io.netattach.plugin.macvlan.MacvlanPlugin;
import io.netattach.testing.NodePodNamespaces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential tests: the same configs through the reference Go plugins (Debian
 * containernetworking-plugins 1.1.1 in /usr/lib/cni) and through the bundled ones must give the same
 * pod state (links, addresses, routes; MACs aside), equivalent results, the same CHECK verdict and a
 * clean pod after DEL (twice). The reference is built on CNI library 1.1.x and accepts cniVersion up to
 * 1.0.0, so 0.3.0..1.0.0 are compared; 1.1.0 runs on the bundled plugins only and must give the state
 * the reference gives for 1.0.0.
 *
 * <p>Cost control: the bundled plugins run in process for the config x version matrix; the process
 * boundary (JVM launchers) is exercised by a bounded number of runs (seed config, mixed with the
 * reference plugins both ways).
 */
class DifferentialTest {

    static final List<CniVersion> COMPARED = List.of(CniVersion.V0_3_0, CniVersion.V0_3_1, CniVersion.V0_4_0,
            CniVersion.V1_0_0);

    /** name, conflist (cniVersion replaced per run), CNI_ARGS, capability args. */
    record Case(String name, String conflist, List<Map.Entry<String, String>> args, String capabilityArgs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Case SEED = new Case("seed macvlan+static", """
            {"cniVersion":"1.0.0","name":"management-net","plugins":[{"type":"macvlan","master":"br-ex","mode":"bridge",
             "ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24","gateway":"192.168.100.1"}],
             "routes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"}]}}]}""", List.of(), "{}");

    static List<Case> cases() {
        return List.of(
                SEED,
                new Case("dual stack with default route", """
                        {"cniVersion":"1.0.0","name":"ds","plugins":[{"type":"macvlan","master":"br-ex",
                         "ipam":{"type":"static","addresses":[{"address":"10.1.0.5/16","gateway":"10.1.0.1"},
                         {"address":"2001:db8:1::5/64"}],
                         "routes":[{"dst":"0.0.0.0/0","gw":"10.1.0.1"},{"dst":"2001:db8:2::/48","gw":"2001:db8:1::1"}]}}]}""",
                        List.of(), "{}"),
                new Case("L2 only, private mode, mtu 1400", """
                        {"cniVersion":"1.0.0","name":"l2","plugins":[{"type":"macvlan","master":"br-ex","mode":"private",
                         "mtu":1400,"ipam":{}}]}""", List.of(), "{}"),
                new Case("two addresses per family, vepa", """
                        {"cniVersion":"1.0.0","name":"two","plugins":[{"type":"macvlan","master":"br-ex","mode":"vepa",
                         "ipam":{"type":"static","addresses":[{"address":"192.168.5.5/24"},{"address":"192.168.6.6/24",
                         "gateway":"192.168.6.1"}]}}]}""", List.of(), "{}"),
                new Case("CNI_ARGS IP and MAC", """
                        {"cniVersion":"1.0.0","name":"args","plugins":[{"type":"macvlan","master":"br-ex",
                         "ipam":{"type":"static"}}]}""",
                        List.of(Map.entry("IgnoreUnknown", "true"), Map.entry("K8S_POD_NAME", "p"),
                                Map.entry("IP", "192.168.7.7/24"), Map.entry("MAC", "02:aa:bb:cc:dd:01")), "{}"),
                new Case("capability ips through runtimeConfig", """
                        {"cniVersion":"1.0.0","name":"caps","plugins":[{"type":"macvlan","master":"br-ex",
                         "capabilities":{"ips":true,"mac":true},
                         "ipam":{"type":"static","addresses":[{"address":"192.168.8.8/24"}]}}]}""",
                        List.of(), "{\"ips\":[\"192.168.9.9/24\"],\"mac\":\"02:aa:bb:cc:dd:02\"}"));
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases()) {
            for (CniVersion v : COMPARED) {
                out.add(Arguments.of(c, v));
            }
        }
        return out.stream();
    }

    @BeforeEach
    void requirements() {
        io.netattach.testing.Netns.assumeRoot();
        Assumptions.assumeTrue(Differential.referenceAvailable(),
                "skipped: reference plugins not installed in /usr/lib/cni (Debian package containernetworking-plugins)");
    }

    private static Differential.Outcome reference(Case c, CniVersion v) {
        return Differential.run(Differential.withVersion(c.conflist(), v), List.of(Differential.REFERENCE_DIR),
                c.args(), (JsonObject) Json.parse(c.capabilityArgs()));
    }

    private static Differential.Outcome bundledInProcess(Case c, CniVersion v) {
        return Differential.run(Differential.withVersion(c.conflist(), v),
                ns -> new InProcessPluginInvoker(ns.node().path().toString()), List.of(Differential.REFERENCE_DIR),
                c.args(), (JsonObject) Json.parse(c.capabilityArgs()));
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("matrix")
    void bundledPluginsBehaveAsTheReference(Case c, CniVersion v) {
        Differential.Outcome ref = reference(c, v);
        Differential.Outcome ours = bundledInProcess(c, v);
        assertEquals("", ref.error(), "reference ADD failed: the case itself is wrong");
        assertEquals(ref, ours);
        assertTrue(ours.afterDel().isEmpty(), ours.afterDel().toString());
        assertEquals("ok", ours.secondDel());
    }

    @Test
    void version110RunsOnTheBundledPluginsOnlyAndGivesTheReferenceState() {
        // the reference (CNI library 1.1.x) refuses 1.1.0 with code 1: that is why 1.1.0 is not compared
        Differential.Outcome refused = Differential.run(Differential.withVersion(SEED.conflist(), CniVersion.V1_1_0),
                List.of(Differential.REFERENCE_DIR), List.of(), JsonObject.empty());
        assertTrue(refused.error().startsWith("1: incompatible CNI versions"), refused.error());
        Differential.Outcome ref = reference(SEED, CniVersion.V1_0_0);
        Differential.Outcome ours = bundledInProcess(SEED, CniVersion.V1_1_0);
        assertEquals("", ours.error());
        assertEquals(ref.afterAdd(), ours.afterAdd());
        assertEquals(ref.result().replace("\"1.0.0\"", "\"1.1.0\""), ours.result());
        assertEquals("ok", ours.check());
        assertTrue(ours.afterDel().isEmpty());
        assertEquals("ok", ours.secondDel());
    }

    @Test
    void gatewaylessRouteIsInstalledViaTheGatewayAndOurCheckAcceptsIt() {
        // same pod state as the reference; the reference CHECK fails on its own result here (upstream bug)
        Case c = new Case("route without gw", SEED.conflist().replace("{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}",
                "{\"dst\":\"10.0.0.0/8\"}"), List.of(), "{}");
        Differential.Outcome ref = reference(c, CniVersion.V1_0_0);
        Differential.Outcome ours = bundledInProcess(c, CniVersion.V1_0_0);
        assertEquals(ref.afterAdd(), ours.afterAdd());
        assertEquals(ref.result(), ours.result());
        assertTrue(ref.check().contains("not found in routing table"), ref.check());
        assertEquals("ok", ours.check());
    }

    /** Bundled static (JVM launcher) as IPAM of the reference macvlan, and the other way round. */
    @ParameterizedTest(name = "@ {0}")
    @MethodSource("launcherVersions")
    void bundledAndReferencePluginsMixBothWays(CniVersion v, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Differential.BUNDLED_DIR.resolve("static")),
                "skipped: target/cni-bin launchers not built");
        Differential.Outcome ref = reference(SEED, v);
        Path refMacvlanOurStatic = Differential.mix(tmp, Map.of("macvlan", Differential.REFERENCE_DIR,
                "static", Differential.BUNDLED_DIR));
        Differential.Outcome mix1 = Differential.run(Differential.withVersion(SEED.conflist(), v),
                List.of(refMacvlanOurStatic), List.of(), JsonObject.empty());
        assertEquals(ref, mix1, "reference macvlan + bundled static");

        Path refStatic = Differential.mix(tmp, Map.of("static", Differential.REFERENCE_DIR));
        Function<NodePodNamespaces, PluginInvoker> ourMacvlanRefStatic = ns -> (type, stdin, env) -> {
            try (Netns host = Netns.open(ns.node().path().toString())) {
                return host.run(() -> InProcessPluginInvoker.runSkeleton(new MacvlanPlugin(IpamDelegate::exec), type,
                        stdin, env));
            }
        };
        Differential.Outcome mix2 = Differential.run(Differential.withVersion(SEED.conflist(), v), ourMacvlanRefStatic,
                List.of(refStatic), List.of(), JsonObject.empty());
        assertEquals(ref, mix2, "bundled macvlan + reference static");
    }

    static Stream<CniVersion> launcherVersions() {
        return Stream.of(CniVersion.V0_3_1, CniVersion.V1_0_0);
    }

    /** The whole chain through the JVM launchers (process boundary, stdout protocol) once. */
    @Test
    void bundledLaunchersBehaveAsTheReference() {
        Assumptions.assumeTrue(Files.isExecutable(Differential.BUNDLED_DIR.resolve("macvlan")),
                "skipped: target/cni-bin launchers not built");
        Differential.Outcome ref = reference(SEED, CniVersion.V0_4_0);
        Differential.Outcome ours = Differential.run(Differential.withVersion(SEED.conflist(), CniVersion.V0_4_0),
                List.of(Differential.BUNDLED_DIR), List.of(), JsonObject.empty());
        assertEquals(ref, ours);
    }
}
