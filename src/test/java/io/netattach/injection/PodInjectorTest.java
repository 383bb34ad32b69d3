package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.netattach.cni.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.netattach.injection.InjectionFixtures.json;
import static io.netattach.injection.InjectionFixtures.nad;
import static io.netattach.injection.InjectionFixtures.pod;
import static io.netattach.injection.InjectionFixtures.seedNads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodInjectorTest {

    private static final String SEED = "[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]";
    private static final String NETWORKS = NetworksAnnotation.KEY;
    private static final String AUDIT = PodInjector.AUDIT_ANNOTATION;

    private final PodInjector seed = new PodInjector(NadLookup.of(seedNads()));

    /** Applies the injection's patch with an independent JSON Patch implementation. */
    private static JsonNode apply(JsonNode pod, Injection injection) {
        return JsonPatch.apply(PatchOperation.toJson(injection.patch()), pod);
    }

    private static String annotation(JsonNode pod, String key) {
        JsonNode value = pod.path("metadata").path("annotations").get(key);
        return value == null ? null : value.asText();
    }

    @Test
    void seedPodWithoutAnnotationsGetsBothNetworks() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", null);
        Injection injection = seed.inject(pod, "chain-example");

        assertEquals(SEED, injection.networks());
        assertEquals("management-net@eth1,sip-net@eth2", injection.audit());
        assertEquals(List.of(), injection.warnings());
        assertEquals(1, injection.patch().size());
        PatchOperation op = injection.patch().getFirst();
        assertEquals("add", op.op());
        assertEquals("/metadata/annotations", op.path());
        assertEquals(json("{\"k8s.v1.cni.cncf.io/networks\":" + InjectionFixtures.JSON.valueToTree(SEED)
                + ",\"netattach.io/injected-networks\":\"management-net@eth1,sip-net@eth2\"}"), op.value());

        JsonNode result = apply(pod, injection);
        assertEquals(SEED, annotation(result, NETWORKS));
        ObjectNode expected = pod.deepCopy();
        ((ObjectNode) expected.get("metadata")).set("annotations", op.value());
        assertEquals(expected, result, "nothing but the annotations changed");
    }

    @Test
    void existingAnnotationsMapIsNeverReplaced() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}",
                "{\"sidecar.istio.io/status\":\"{\\\"x\\\":1}\",\"other\":\"kept\"}");
        Injection injection = seed.inject(pod, "chain-example");

        assertEquals(List.of("add /metadata/annotations/k8s.v1.cni.cncf.io~1networks",
                        "add /metadata/annotations/netattach.io~1injected-networks"),
                injection.patch().stream().map(o -> o.op() + " " + o.path()).toList());
        JsonNode result = apply(pod, injection);
        assertEquals("{\"x\":1}", annotation(result, "sidecar.istio.io/status"));
        assertEquals("kept", annotation(result, "other"));
        assertEquals(SEED, annotation(result, NETWORKS));
        assertEquals(4, result.path("metadata").path("annotations").size());
    }

    @Test
    void nullAnnotationsMapIsAddedWithJustOurKeys() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", "null");
        Injection injection = seed.inject(pod, "chain-example");
        assertEquals("/metadata/annotations", injection.patch().getFirst().path());
        assertEquals(2, apply(pod, injection).path("metadata").path("annotations").size());
    }

    @Test
    void emptyAnnotationsMapGetsMemberAdds() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", "{}");
        Injection injection = seed.inject(pod, "chain-example");
        assertTrue(injection.patch().stream().noneMatch(o -> o.path().equals("/metadata/annotations")));
        assertEquals(SEED, annotation(apply(pod, injection), NETWORKS));
    }

    @Test
    void reinvocationChangesNothing() {
        for (String annotations : new String[]{null, "{}", "{\"a\":\"b\"}", "{\"" + NETWORKS + "\":\"other-net@eth7\"}"}) {
            ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", annotations);
            JsonNode once = apply(pod, seed.inject(pod, "chain-example"));
            Injection twice = seed.inject(once, "chain-example");
            assertFalse(twice.changed(), "second pass on " + annotations + ": " + twice.patch());
            assertEquals(List.of(), twice.warnings());
        }
    }

    @Test
    void commaFormComesBackAsJsonWithTheSameNetworks() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}",
                "{\"" + NETWORKS + "\":\"other-net@eth7, chain-example/extra\"}");
        Injection injection = seed.inject(pod, "chain-example");
        assertEquals("[{\"name\":\"other-net\",\"interface\":\"eth7\"},{\"name\":\"extra\",\"namespace\":\"chain-example\"},"
                + "{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]", injection.networks());
        assertEquals("replace", injection.patch().getFirst().op());
        JsonNode result = apply(pod, injection);
        NetworksAnnotation.Parsed parsed = (NetworksAnnotation.Parsed) NetworksAnnotation.parse(annotation(result, NETWORKS));
        assertEquals(NetworksAnnotation.Format.JSON, parsed.format());
        assertEquals(List.of("other-net@eth7", "chain-example/extra", "management-net@eth1", "sip-net@eth2"),
                parsed.elements().stream().map(NetworkSelection::shortForm).toList());
    }

    @Test
    void existingElementsKeepEveryFieldAndTheirOrder() {
        String existing = "[{\"name\":\"db-net\",\"ips\":[\"10.5.0.7/24\"],\"mac\":\"02:00:00:00:00:07\",\"example.com/x\":{\"n\":1.50}}]";
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", "{\"" + NETWORKS + "\":" + InjectionFixtures.JSON.valueToTree(existing) + "}");
        Injection injection = seed.inject(pod, "chain-example");
        assertEquals(existing.substring(0, existing.length() - 1) + "," + SEED.substring(1), injection.networks());
    }

    @ParameterizedTest(name = "[{index}] existing {0} -> added {1}")
    @CsvSource(delimiter = '|', textBlock = """
            management-net@eth1                                                  | sip-net@eth2
            chain-example/management-net@eth1                                    | sip-net@eth2
            '[{"name":"management-net","namespace":"chain-example","interface":"eth1"}]' | sip-net@eth2
            management-net@eth1,sip-net@eth2                                     | ''
            management-net@eth5                                                  | sip-net@eth2
            management-net                                                       | sip-net@eth2
            chain-example/sip-net@eth1                                           | ''
            '[{"name":"sip-net","interface":"eth1"}]'                            | ''
            '[{"name":"sip-net","namespace":"chain-example"}]'                   | management-net@eth1
            '[{"name":"sip-net","namespace":"chain-example","interfaceRequest":"eth7"}]' | management-net@eth1
            other/management-net@eth9                                            | management-net@eth1,sip-net@eth2
            other/sip-net@eth1                                                   | sip-net@eth2
            """)
    void neverDuplicatesANetworkAlreadyRequested(String existing, String expectedAdded) {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}",
                "{\"" + NETWORKS + "\":" + InjectionFixtures.JSON.valueToTree(existing) + "}");
        Injection injection = seed.inject(pod, "chain-example");
        assertEquals(expectedAdded, String.join(",", injection.added().stream().map(NetworkSelection::shortForm).toList()));
        assertEquals(expectedAdded.isEmpty(), !injection.changed());
    }

    @Test
    void nadAttachedByHandUnderAnotherInterfaceIsNotInjectedAgain() {
        // the case found with Multus v4.0.2: sip-net requested as eth1 by hand, sip-net@eth2 injected as
        // well, and Multus ADD failed adding the same route twice ("file exists")
        for (String existing : List.of("sip-net@eth1", "chain-example/sip-net@eth1", "[{\"name\":\"sip-net\",\"interface\":\"eth1\"}]",
                "[{\"name\":\"sip-net\",\"namespace\":\"chain-example\",\"interface\":\"eth1\"}]")) {
            ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}",
                    "{\"" + NETWORKS + "\":" + InjectionFixtures.JSON.valueToTree(existing) + "}");
            Injection injection = seed.inject(pod, "chain-example");
            assertFalse(injection.changed(), existing);
            NetworksAnnotation.Parsed after = (NetworksAnnotation.Parsed) NetworksAnnotation.parse(existing);
            assertEquals(1, after.elements().stream().filter(e -> e.name().equals("sip-net")).count(), existing);
            // management-net wants eth1, which the hand-written sip-net holds: said, not injected
            assertEquals(List.of("network management-net not injected: interface \"eth1\" is already used by element 0 ("
                    + after.elements().getFirst().shortForm() + ")"), injection.warnings().stream().map(Finding::message).toList(), existing);
        }
    }

    @Test
    void takenInterfaceIsNotInjectedAndWarns() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", "{\"" + NETWORKS + "\":\"storage-net@eth1\"}");
        Injection injection = seed.inject(pod, "chain-example");
        assertEquals(List.of("sip-net@eth2"), injection.added().stream().map(NetworkSelection::shortForm).toList());
        assertEquals(1, injection.warnings().size());
        Finding warning = injection.warnings().getFirst();
        assertEquals(NetworksAnnotation.POINTER + "/0", warning.path());
        assertEquals("network management-net not injected: interface \"eth1\" is already used by element 0 (storage-net@eth1)", warning.message());
        assertEquals("[{\"name\":\"storage-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]", injection.networks());
    }

    @Test
    void generatedInterfaceNamesCountAsTaken() {
        // existing element 0 without interface is net1 for Multus; a NAD asking for net1 must not be injected
        PodInjector injector = new PodInjector(NadLookup.of(List.of(nad("ns", "a", "app=x", "net1", null))));
        Injection injection = injector.inject(pod("ns", "{\"app\":\"x\"}", "{\"" + NETWORKS + "\":\"plain\"}"), "ns");
        assertFalse(injection.changed());
        assertTrue(injection.warnings().getFirst().message().contains("\"net1\" is already used by element 0 (plain)"));
    }

    @Test
    void nadWithoutInterfaceAnnotationIsInjectedWithoutInterface() {
        PodInjector injector = new PodInjector(NadLookup.of(List.of(nad("ns", "a", "app=x", null, null))));
        ObjectNode pod = pod("ns", "{\"app\":\"x\"}", null);
        Injection injection = injector.inject(pod, "ns");
        assertEquals("[{\"name\":\"a\"}]", injection.networks());
        assertEquals("a", injection.audit());
        assertFalse(injector.inject(apply(pod, injection), "ns").changed());
    }

    @Test
    void orderIsInjectOrderThenNameWithUnorderedLast() {
        PodInjector injector = new PodInjector(NadLookup.of(List.of(
                nad("ns", "zeta", "app=x", "eth1", "1"),
                nad("ns", "alpha", "app=x", "eth2", "1"),
                nad("ns", "first", "tier in (web)", "eth3", "-5"),
                nad("ns", "unordered", "app", "eth4", null),
                nad("ns", "bad-order", "app", "eth5", "soon"),
                nad("ns", "later", "!legacy", "eth6", "10"))));
        Injection injection = injector.inject(pod("ns", "{\"app\":\"x\",\"tier\":\"web\"}", null), "ns");
        assertEquals(List.of("first", "alpha", "zeta", "later", "bad-order", "unordered"),
                injection.added().stream().map(NetworkSelection::name).toList());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            opt-out label                  | chain-example | {"app":"chain-test","netattach.io/inject":"disabled"}
            no matching label              | chain-example | {"app":"other"}
            no labels                      | chain-example | {}
            other namespace                | default       | {"app":"chain-test"}
            """)
    void touchesNothing(String why, String namespace, String labels) {
        Injection injection = seed.inject(pod(namespace, labels, "{\"a\":\"b\"}"), namespace);
        assertFalse(injection.changed(), why);
        assertNull(injection.networks());
        assertEquals(List.of(), injection.warnings());
    }

    @Test
    void injectLabelWithAnotherValueDoesNotOptOut() {
        assertTrue(seed.inject(pod("chain-example", "{\"app\":\"chain-test\",\"netattach.io/inject\":\"enabled\"}", null), "chain-example").changed());
    }

    @Test
    void malformedAnnotationIsLeftAloneWithAWarning() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", "{\"" + NETWORKS + "\":\"[{\\\"name\\\":\"}");
        Injection injection = seed.inject(pod, "chain-example");
        assertFalse(injection.changed());
        assertTrue(injection.warnings().getFirst().message().startsWith("not injecting management-net, sip-net: the pod's k8s.v1.cni.cncf.io/networks is malformed"),
                injection.warnings().getFirst().message());
    }

    @Test
    void namespaceFromObjectWhenRequestHasNone() {
        assertTrue(seed.inject(pod("chain-example", "{\"app\":\"chain-test\"}", null), null).changed());
        assertTrue(seed.inject(pod("", "{\"app\":\"chain-test\"}", null), "chain-example").changed());
    }

    @Test
    void invalidSelectorOrInterfaceOnANadIsIgnored() {
        List<NadInfo> nads = new ArrayList<>(seedNads());
        nads.add(nad("chain-example", "broken-selector", "app in (chain-test", "eth7", "0"));
        nads.add(nad("chain-example", "broken-interface", "app=chain-test", "eth0", "0"));
        Injection injection = new PodInjector(NadLookup.of(nads)).inject(pod("chain-example", "{\"app\":\"chain-test\"}", null), "chain-example");
        assertEquals(SEED, injection.networks());
    }

    @Test
    void auditKeepsEarlierEntries() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}",
                "{\"" + NETWORKS + "\":\"[{\\\"name\\\":\\\"management-net\\\",\\\"interface\\\":\\\"eth1\\\"}]\",\"" + AUDIT + "\":\"management-net@eth1\"}");
        Injection injection = seed.inject(pod, "chain-example");
        assertEquals("management-net@eth1,sip-net@eth2", injection.audit());
        assertEquals(List.of("replace /metadata/annotations/k8s.v1.cni.cncf.io~1networks",
                        "replace /metadata/annotations/netattach.io~1injected-networks"),
                injection.patch().stream().map(o -> o.op() + " " + o.path()).toList());
    }

    @Test
    void podWithoutMetadataAnnotationsOrNameStillWorks() {
        ObjectNode pod = pod("chain-example", "{\"app\":\"chain-test\"}", null);
        assertFalse(pod.path("metadata").has("name"));
        assertTrue(seed.inject(pod, "chain-example").changed());
        Injection none = seed.inject(json("{\"kind\":\"Pod\"}"), "chain-example");
        assertFalse(none.changed());
    }
}
