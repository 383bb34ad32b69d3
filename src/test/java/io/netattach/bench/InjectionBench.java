package io.netattach.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.catalog.CatalogIndex;
import io.netattach.injection.Injection;
import io.netattach.injection.NadInfo;
import io.netattach.injection.PodInjector;
import io.netattach.injection.PodValidator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * In-process micro-benchmark of the injection decision (not a test): {@link PodInjector#inject} on the
 * realistic pod of {@code src/test/resources/admission/reviews/pod-create-chain-test.json} (labels
 * app=chain-test, namespace chain-example, no networks annotation) against catalogs of growing size,
 * served by the webhook's own {@link CatalogIndex}. In every catalog exactly 10 NADs select the pod;
 * the decision includes merging and building the JSON Patch. Also times {@link PodValidator} on the
 * injected pod (10 lookups). Target: under 50 µs per decision, flat in the catalog size.
 *
 * <p>Run with {@code bench/injection.sh [--warmup N] [--iterations N]}.
 */
public final class InjectionBench {

    private static volatile int sink;

    private InjectionBench() {
    }

    /** A catalog shape: total NADs, namespaces, NADs per namespace with a non-matching selector of their own. */
    private record Shape(String name, int namespaces, int perNamespace) {
        int total() {
            return namespaces * perNamespace;
        }
    }

    public static void main(String[] args) throws Exception {
        int warmup = 200_000;
        int iterations = 300_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode review = json.readTree(Files.readString(Path.of("src/test/resources/admission/reviews/pod-create-chain-test.json")));
        JsonNode pod = review.path("request").path("object");

        List<Shape> shapes = List.of(
                new Shape("10 NADs, 1 namespace", 1, 10),
                new Shape("1,000 NADs, 100 namespaces", 100, 10),
                new Shape("10,000 NADs, 1,000 namespaces", 1000, 10),
                new Shape("10,000 NADs, 100 namespaces (90 other selectors beside the pod)", 100, 100));
        System.out.printf(Locale.ROOT, "Injection decision micro-benchmark: %s, %d warm-up + %d timed decisions per catalog, 1 thread%n",
                Runtime.version(), warmup, iterations);
        for (Shape shape : shapes) {
            CatalogIndex catalog = catalog(json, shape);
            PodInjector injector = new PodInjector(catalog);
            Injection check = injector.inject(pod, "chain-example");
            if (check.added().size() != 10 || check.patch().size() != 2) {
                throw new IllegalStateException(shape.name() + ": expected 10 injected networks, got " + check.added());
            }
            time("inject   " + shape.name() + " (" + shape.total() + ")", () -> injector.inject(pod, "chain-example").patch().size(),
                    warmup, iterations);
        }
        CatalogIndex catalog = catalog(json, shapes.get(1));
        Injection injection = new PodInjector(catalog).inject(pod, "chain-example");
        ObjectNode injected = pod.deepCopy();
        ((ObjectNode) injected.path("metadata").path("annotations")).put("k8s.v1.cni.cncf.io/networks", injection.networks());
        PodValidator validator = new PodValidator(catalog, PodValidator.MissingNad.DENY);
        if (!validator.validate(injected, "chain-example").isEmpty()) {
            throw new IllegalStateException("validation findings: " + validator.validate(injected, "chain-example"));
        }
        time("validate 1,000 NADs, 100 namespaces, pod with 10 networks", () -> validator.validate(injected, "chain-example").size(),
                warmup, iterations);
    }

    /** NADs ns-0..ns-N (ns-0 is chain-example): 10 per namespace select app=chain-test, the rest select app=svc-K. */
    private static CatalogIndex catalog(ObjectMapper json, Shape shape) {
        Map<String, List<NadInfo>> byNamespace = new HashMap<>();
        for (int n = 0; n < shape.namespaces(); n++) {
            String namespace = n == 0 ? "chain-example" : "ns-" + n;
            List<NadInfo> nads = new ArrayList<>();
            for (int k = 0; k < shape.perNamespace(); k++) {
                String selector = k < 10 ? "app=chain-test" : "app=svc-" + k;
                nads.add(NadInfo.fromManifest(nad(json, namespace, "net-" + k, selector, "eth" + (k + 1), k + 1), namespace));
            }
            byNamespace.put(namespace, nads);
        }
        return new CatalogIndex(ns -> byNamespace.getOrDefault(ns, List.of()), line -> { });
    }

    static ObjectNode nad(ObjectMapper json, String namespace, String name, String selector, String iface, int order) {
        ObjectNode nad = json.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        ObjectNode metadata = nad.putObject("metadata").put("name", name).put("namespace", namespace);
        metadata.putObject("annotations").put(NadInfo.INJECT_SELECTOR, selector).put(NadInfo.INTERFACE, iface)
                .put(NadInfo.INJECT_ORDER, Integer.toString(order));
        nad.putObject("spec").put("config", "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"macvlan\",\"master\":\"br-ex\","
                + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.10." + (order % 250) + ".0/24\"}}");
        return nad;
    }

    private static void time(String name, java.util.function.IntSupplier decision, int warmup, int iterations) {
        for (int i = 0; i < warmup; i++) {
            sink += decision.getAsInt();
        }
        long[] samples = new long[iterations];
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink += decision.getAsInt();
            samples[i] = System.nanoTime() - t0;
        }
        long total = System.nanoTime() - start;
        Arrays.sort(samples);
        System.out.printf(Locale.ROOT, "%-76s mean %6.2f µs  p50 %6.2f µs  p90 %6.2f µs  p99 %7.2f µs%n",
                name, total / 1000.0 / iterations, pct(samples, 50), pct(samples, 90), pct(samples, 99));
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))] / 1000.0;
    }
}
