package io.netattach.cli;

import io.netattach.manifest.ManifestReader;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.netattach.cni.CniException;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetworkConfigList;
import io.netattach.injection.Injection;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.NetworksAnnotation;
import io.netattach.injection.PatchOperation;
import io.netattach.injection.PodInjector;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NetworkPlan;
import io.netattach.plan.PlannedInterface;
import io.netattach.plan.PodPlans;
import io.netattach.plugin.chain.ChainRunner;
import io.netattach.plugin.chain.InProcessPluginInvoker;
import io.netattach.plugin.chain.RuntimeConf;
import io.netattach.testing.Netns;
import io.netattach.cni.Finding;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan against the kernel: every corpus scenario marked {@code # kernel: yes} (the seed first)
 * is built in real network namespaces with the bundled plugins (in process, real netlink), a dummy
 * {@code eth0} with the cluster network's default route standing in for the primary interface, and
 * Multus' {@code default-route} done as Multus does it (delete the interface's default routes, add
 * one via the gateway); the addresses, MACs and routes {@code ip} shows on the secondary interfaces
 * must equal the plan's. Scenarios marked {@code # kernel: fails: REASON} must fail in the kernel
 * with that reason (file exists, unreachable) where the plan reports an error with it.
 */
class PlanKernelTest {

    @TestFactory
    Stream<DynamicTest> theKernelAgreesWithThePlan() throws IOException {
        Netns.assumeRoot();
        return PlanCorpusTest.scenarios().stream().filter(s -> !s.kernel().equals("no") && !s.kernel().isEmpty())
                .map(s -> DynamicTest.dynamicTest(s.name() + " (" + s.kernel() + ")", () -> run(s)));
    }

    private record Network(NetworkSelection selection, String ifName, String config) {
    }

    private static void run(PlanCorpusTest.Scenario s) throws Exception {
        ManifestReader reader = new ManifestReader();
        List<NadInfo> nads = new ArrayList<>();
        JsonNode pod = null;
        for (ManifestReader.Document d : reader.read(s.file())) {
            if (d.content() instanceof ManifestReader.Content.KubernetesObject(JsonNode node)) {
                if (node.path("kind").asText("").equals("NetworkAttachmentDefinition")) {
                    nads.add(NadInfo.fromManifest(node, "default"));
                } else if (node.path("kind").asText("").equals("Pod")) {
                    pod = node;
                }
            }
        }
        assertNotNull(pod, s.name() + ": a Pod");
        NadLookup lookup = NadLookup.of(nads);
        String namespace = pod.path("metadata").path("namespace").asText("default");
        Injection injection = new PodInjector(lookup).inject(pod, namespace);
        JsonNode injected = injection.changed() ? JsonPatch.apply(PatchOperation.toJson(injection.patch()), pod) : pod;
        NetworkPlan plan = new PodPlans(ClusterNetworks.NONE).plan(injected, namespace, lookup).orElseThrow();
        List<NetworkSelection> elements = ((NetworksAnnotation.Parsed) NetworksAnnotation.parse(
                injected.path("metadata").path("annotations").path(NetworksAnnotation.KEY).asText())).elements();
        List<Network> networks = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            NetworkSelection e = elements.get(i);
            String config = lookup.find(e.namespaceOr(namespace), e.name()).orElseThrow().config();
            networks.add(new Network(e, NetworksAnnotation.effectiveInterface(e, i), config));
        }
        boolean defaultRouteRequested = networks.stream().anyMatch(n -> n.selection().fields().has("default-route"));

        String failure = null;
        try (DemoCommand.Namespaces ns = DemoCommand.Namespaces.create("netattach-plan")) {
            boolean vlan = DemoCommand.vlanSupported(ns.node);
            // eth0 stands in for the cluster network's interface, with its default route unless Multus removed it
            DemoCommand.run("ip", "-n", ns.node, "link", "add", "veth-plan", "type", "veth", "peer", "name", "eth0",
                    "netns", ns.pod);
            DemoCommand.run("ip", "-n", ns.node, "link", "set", "veth-plan", "up");
            DemoCommand.run("ip", "-n", ns.pod, "addr", "add", "10.128.0.5/23", "dev", "eth0");
            DemoCommand.run("ip", "-n", ns.pod, "link", "set", "eth0", "up");
            if (!defaultRouteRequested) {
                DemoCommand.run("ip", "-n", ns.pod, "route", "add", "default", "via", "10.128.0.1", "dev", "eth0");
            }
            try (InProcessPluginInvoker invoker = new InProcessPluginInvoker(ns.nodePath())) {
                ChainRunner runner = new ChainRunner(invoker, List.of(java.nio.file.Path.of("target/cni-bin")));
                for (Network n : networks) {
                    String config = vlan ? n.config() : DemoCommand.withoutVlan(n.config());
                    NetworkConfigList list = ChainRunner.parse(config);
                    Map<String, JsonValue> capabilityArgs = new LinkedHashMap<>();
                    n.selection().fields().get("ips").ifPresent(v -> capabilityArgs.put("ips", v));
                    n.selection().fields().get("mac").ifPresent(v -> capabilityArgs.put("mac", v));
                    RuntimeConf rt = new RuntimeConf("plan-" + ns.suffix, ns.podPath(), n.ifName(),
                            List.of(Map.entry("IgnoreUnknown", "true")), new JsonObject(capabilityArgs));
                    try {
                        runner.add(list, rt);
                    } catch (CniException e) {
                        failure = e.error().msg() + " " + e.error().details();
                        break;
                    }
                    // Multus' default-route: delete the interface's default routes, add one via each gateway
                    if (n.selection().fields().get("default-route").orElse(null) instanceof JsonValue.JsonArray gws) {
                        DemoCommand.exec(List.of("ip", "-n", ns.pod, "route", "del", "default", "dev", n.ifName()));
                        for (JsonValue gw : gws.elements()) {
                            DemoCommand.Exec r = DemoCommand.exec(List.of("ip", "-n", ns.pod, "route", "add", "default",
                                    "via", ((JsonValue.JsonString) gw).value(), "dev", n.ifName()));
                            if (r.status() != 0) {
                                failure = r.out();
                            }
                        }
                    }
                }
            }
            if (s.kernel().startsWith("fails:")) {
                String reason = s.kernel().substring("fails:".length()).strip();
                assertNotNull(failure, s.name() + ": the kernel was expected to refuse with \"" + reason + "\"");
                assertTrue(failure.toLowerCase(Locale.ROOT).contains(reason), s.name() + ": " + failure);
                List<Finding> errors = plan.findings().stream().filter(Finding::isError).toList();
                assertTrue(errors.stream().anyMatch(f -> f.message().contains(reason)),
                        s.name() + ": the plan reports an error with \"" + reason + "\": " + plan.findings());
                return;
            }
            assertEquals(null, failure, s.name() + ": every ADD succeeds");
            assertEquals(planAddresses(plan), kernelAddresses(ns.pod), s.name() + ": addresses");
            assertEquals(sorted(plan.ipRoute().lines().map(l -> l.replaceAll("\\s+#.*", "")).toList()),
                    kernelRoutes(ns.pod), s.name() + ": routes");
            for (PlannedInterface i : plan.interfaces()) {
                if (i.mac().isPresent()) {
                    assertTrue(DemoCommand.run("ip", "-n", ns.pod, "-o", "link", "show", i.name())
                            .contains("link/ether " + i.mac().get() + " "), s.name() + ": MAC of " + i.name());
                }
            }
        }
    }

    private static List<String> planAddresses(NetworkPlan plan) {
        List<String> out = new ArrayList<>();
        for (PlannedInterface i : plan.interfaces()) {
            for (IpPrefix a : i.addresses()) {
                out.add(i.name() + " " + a);
            }
        }
        return sorted(out);
    }

    /** {@code dev address/len} of every IPv4 address but lo's and eth0's. */
    private static List<String> kernelAddresses(String pod) {
        List<String> out = new ArrayList<>();
        for (String line : DemoCommand.run("ip", "-n", pod, "-4", "-o", "addr", "show").lines().toList()) {
            String[] f = line.strip().split("\\s+");
            String dev = f[1].replaceAll("@.*", "");
            if (!dev.equals("lo") && !dev.equals("eth0")) {
                out.add(dev + " " + f[3]);
            }
        }
        return sorted(out);
    }

    /** {@code ip -4 route show table all} without the local table and lo's and eth0's routes. */
    private static List<String> kernelRoutes(String pod) {
        return sorted(DemoCommand.run("ip", "-n", pod, "-4", "route", "show", "table", "all").lines()
                .map(String::strip)
                .filter(l -> !l.startsWith("local ") && !l.startsWith("broadcast ") && !l.contains("table local"))
                .filter(l -> !l.contains(" dev eth0") && !l.contains(" dev lo"))
                .toList());
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

}
