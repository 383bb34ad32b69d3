package io.netattach.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.catalog.CatalogIndex;
import io.netattach.injection.Injection;
import io.netattach.injection.NadInfo;
import io.netattach.injection.PodInjector;
import io.netattach.injection.PodValidator;
import io.netattach.cni.Finding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The injection decision: {@link PodInjector#inject} on the pod of
 * {@code src/test/resources/admission/reviews/pod-create-chain-test.json} (labels app=chain-test,
 * namespace chain-example, no networks annotation) against the webhook's own {@link CatalogIndex} of
 * {@code nads} NADs ({@code perNamespace} per namespace, default 10; in every catalog exactly 10 NADs
 * select the pod; {@code -p perNamespace=100} puts 90 other selectors beside the pod's). The decision
 * includes merging and the JSON Patch. Also {@link PodValidator} on the injected pod (10 lookups).
 * Target: under 50 µs per decision, flat in the catalog size. Run with {@code bench/injection.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"})
public class InjectionBenchmark {

    private static final String NAMESPACE = "chain-example";

    /** NADs in the catalog. */
    @Param({"10", "1000", "10000"})
    public int nads;

    /** NADs per namespace: 10 select the pod in its namespace, the others have selectors of their own. */
    @Param({"10"})
    public int perNamespace;

    private PodInjector injector;
    private PodValidator validator;
    private JsonNode pod;
    private JsonNode injected;

    @Setup
    public void setUp() throws IOException {
        ObjectMapper json = new ObjectMapper();
        pod = json.readTree(Files.readString(Path.of("src/test/resources/admission/reviews/pod-create-chain-test.json")))
                .path("request").path("object");
        CatalogIndex catalog = catalog(json, Math.max(1, nads / perNamespace), perNamespace);
        injector = new PodInjector(catalog);
        Injection injection = injector.inject(pod, NAMESPACE);
        if (injection.added().size() != 10 || injection.patch().size() != 2) {
            throw new IllegalStateException(nads + " NADs: expected 10 injected networks, got " + injection.added());
        }
        ObjectNode copy = pod.deepCopy();
        ((ObjectNode) copy.path("metadata").path("annotations")).put("k8s.v1.cni.cncf.io/networks", injection.networks());
        injected = copy;
        validator = new PodValidator(catalog, PodValidator.MissingNad.DENY);
        if (!validator.validate(injected, NAMESPACE).isEmpty()) {
            throw new IllegalStateException("validation findings: " + validator.validate(injected, NAMESPACE));
        }
    }

    @Benchmark
    public Injection inject() {
        return injector.inject(pod, NAMESPACE);
    }

    @Benchmark
    public List<Finding> validateInjectedPod() {
        return validator.validate(injected, NAMESPACE);
    }

    /** Namespaces chain-example, ns-1..: 10 NADs each select app=chain-test in chain-example, the rest app=svc-K. */
    static CatalogIndex catalog(ObjectMapper json, int namespaces, int perNamespace) {
        Map<String, List<NadInfo>> byNamespace = new HashMap<>();
        for (int n = 0; n < namespaces; n++) {
            String namespace = n == 0 ? NAMESPACE : "ns-" + n;
            List<NadInfo> list = new ArrayList<>();
            for (int k = 0; k < perNamespace; k++) {
                String selector = k < 10 ? "app=chain-test" : "app=svc-" + k;
                list.add(NadInfo.fromManifest(nad(json, namespace, "net-" + k, selector, "eth" + (k + 1), k + 1), namespace));
            }
            byNamespace.put(namespace, list);
        }
        return new CatalogIndex(ns -> byNamespace.getOrDefault(ns, List.of()), line -> { });
    }

    static ObjectNode nad(ObjectMapper json, String namespace, String name, String selector, String iface, int order) {
        ObjectNode nad = json.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        ObjectNode metadata = nad.putObject("metadata").put("name", name).put("namespace", namespace);
        metadata.putObject("annotations").put(NadInfo.INJECT_SELECTOR, selector).put(NadInfo.INTERFACE, iface)
                .put(NadInfo.INJECT_ORDER, Integer.toString(order));
        nad.putObject("spec").put("config", "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"macvlan\","
                + "\"master\":\"br-ex\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.10." + (order % 250) + ".0/24\"}}");
        return nad;
    }
}
