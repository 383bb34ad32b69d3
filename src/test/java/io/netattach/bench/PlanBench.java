package io.netattach.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.admission.ClusterNetworkSource;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.PodValidator;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NadPlans;
import io.netattach.plan.NetworkPlan;
import io.netattach.plan.PodPlans;
import io.netattach.validation.NadValidator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * In-process micro-benchmark of the network plan (not a test): the plan of a pod with 10 networks
 * (each macvlan + static IPAM with a route + route-override with two routes, on OpenShift's default
 * cluster networks), then what the plan adds to admission: pod validation with and without the plan,
 * NAD validation with and without the plan's checks, and the shared-segment check against an index of
 * 100,000 NADs. Target: the plan under 100 µs.
 *
 * <p>Run with {@code bench/plan.sh [--warmup N] [--iterations N]}.
 */
public final class PlanBench {

    private static volatile int sink;

    private PlanBench() {
    }

    static String config(int i) {
        return """
                {"cniVersion": "1.0.0", "name": "net-%1$d", "plugins": [
                  {"type": "macvlan", "master": "br-ex", "vlan": %2$d, "mode": "bridge",
                   "ipam": {"type": "static", "addresses": [{"address": "192.168.%1$d.10/24", "gateway": "192.168.%1$d.1"}],
                            "routes": [{"dst": "10.%1$d.0.0/16"}]}},
                  {"type": "route-override", "addroutes": [{"dst": "172.%3$d.0.0/16", "gw": "192.168.%1$d.1"},
                                                           {"dst": "192.0.%1$d.0/24"}]}]}
                """.formatted(i, 100 + i, 16 + i);
    }

    static JsonNode nad(ObjectMapper json, int i) {
        ObjectNode nad = json.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1");
        nad.put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", "net-" + i).put("namespace", "bench");
        nad.putObject("spec").put("config", config(i));
        return nad;
    }

    public static void main(String[] args) {
        int warmup = 20_000;
        int iterations = 20_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ObjectMapper json = new ObjectMapper();
        List<NadInfo> nads = new ArrayList<>();
        StringBuilder annotation = new StringBuilder("[");
        for (int i = 1; i <= 10; i++) {
            nads.add(NadInfo.fromManifest(nad(json, i), "bench"));
            annotation.append(i > 1 ? "," : "").append("{\"name\":\"net-").append(i).append("\",\"interface\":\"eth").append(i).append("\"}");
        }
        annotation.append("]");
        ObjectNode pod = json.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", "bench-pod").put("namespace", "bench");
        metadata.putObject("annotations").put("k8s.v1.cni.cncf.io/networks", annotation.toString());
        NadLookup lookup = NadLookup.of(nads);
        ClusterNetworks cluster = ClusterNetworks.OPENSHIFT_DEFAULTS;
        PodPlans plans = new PodPlans(cluster);
        NetworkPlan plan = plans.plan(pod, "bench", lookup).orElseThrow();
        System.out.printf(Locale.ROOT, "pod with %d networks: %d interfaces, %d routes, %d findings%n", nads.size(),
                plan.interfaces().size(), plan.routes().size(), plan.findings().size());

        PodValidator without = new PodValidator(lookup, PodValidator.MissingNad.DENY);
        PodValidator with = new PodValidator(lookup, PodValidator.MissingNad.DENY, List.of(new PodPlans(new ClusterNetworkSource(cluster)::current)));
        NadValidator nadValidator = new NadValidator();
        JsonNode oneNad = nad(json, 1);
        io.netattach.plan.SegmentIndex segments = io.netattach.plan.SegmentIndex.of(nads); // kept with the catalog

        report("plan, 10 networks (PodPlans.plan)", warmup, iterations, () -> plans.plan(pod, "bench", lookup).orElseThrow().routes().size());
        report("pod validation without the plan", warmup, iterations, () -> without.validate(pod, "bench").size());
        report("pod validation with the plan", warmup, iterations, () -> with.validate(pod, "bench").size());
        report("NAD validation without the plan", warmup, iterations, () -> nadValidator.validate(oneNad).size());
        report("NAD validation with the plan (cluster + segment index of 10 NADs)", warmup, iterations,
                () -> io.netattach.plan.NadReview.findings(nadValidator, oneNad, "bench", cluster, segments).size());

        // the shared-segment check against a large catalog: 100,000 static macvlan NADs in 1,000
        // namespaces, indexed once (as the catalog does on NAD events), then one lookup per admission
        List<NadInfo> large = new ArrayList<>(LARGE);
        for (int i = 0; i < LARGE; i++) {
            large.add(NadInfo.fromManifest(largeNad(json, i), "default"));
        }
        long t0 = System.nanoTime();
        io.netattach.plan.SegmentIndex largeIndex = io.netattach.plan.SegmentIndex.of(large);
        System.out.printf(Locale.ROOT, "segment index of %,d NADs (%,d namespaces) built in %.2f s (%.1f us per NAD)%n",
                largeIndex.size(), LARGE / 100, (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e3 / LARGE);
        JsonNode colliding = largeNad(json, LARGE / 2);
        ((ObjectNode) colliding.path("metadata")).put("namespace", "elsewhere");
        report("NAD shared-segment check, 100,000 NADs indexed (1 collision)", warmup, iterations,
                () -> NadPlans.sharedSegment(colliding, "elsewhere", largeIndex).size());
    }

    private static final int LARGE = 100_000;

    /** NAD {@code i} of the large catalog: macvlan on br-ex, VLAN 1 + i % 4000, its own static address (10.0.0.1 on); 100 per namespace. */
    static JsonNode largeNad(ObjectMapper json, int i) {
        ObjectNode nad = json.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1");
        nad.put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", "net-" + i).put("namespace", "ns-" + (i / 100));
        nad.putObject("spec").put("config", """
                {"cniVersion": "1.0.0", "name": "net-%1$d", "plugins": [{"type": "macvlan", "master": "br-ex", "vlan": %2$d,
                  "ipam": {"type": "static", "addresses": [{"address": "10.%3$d.%4$d.%5$d/8"}]}}]}
                """.formatted(i, 1 + i % 4000, ((i + 1) >> 16) & 255, ((i + 1) >> 8) & 255, (i + 1) & 255));
        return nad;
    }

    private static void report(String name, int warmup, int iterations, java.util.function.IntSupplier work) {
        for (int i = 0; i < warmup; i++) {
            sink += work.getAsInt();
        }
        long[] samples = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink += work.getAsInt();
            samples[i] = System.nanoTime() - t0;
        }
        Arrays.sort(samples);
        System.out.printf(Locale.ROOT, "%-62s p50 %7.1f us  p99 %7.1f us  max %8.1f us%n", name,
                samples[iterations / 2] / 1e3, samples[(int) (iterations * 0.99)] / 1e3, samples[iterations - 1] / 1e3);
    }
}
