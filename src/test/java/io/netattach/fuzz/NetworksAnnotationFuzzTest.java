package io.netattach.fuzz;

import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.NetworksAnnotation;
import io.netattach.injection.NetworksAnnotation.Malformed;
import io.netattach.injection.NetworksAnnotation.ParseResult;
import io.netattach.injection.NetworksAnnotation.Parsed;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code k8s.v1.cni.cncf.io/networks} codec: any value parses to elements or to findings (never
 * an exception), findings are well-formed, and generated selections survive render -> parse.
 */
class NetworksAnnotationFuzzTest {

    static final List<String> SEEDS = List.of(
            "management-net@eth1, sip-net@eth2",
            "other-ns/net-a@net9,net-b",
            "[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]",
            "[{\"name\":\"a\",\"namespace\":\"ns\",\"ips\":[\"10.0.0.5/24\"],\"mac\":\"02:00:00:00:00:01\",\"default-route\":[\"10.0.0.1\"]}]",
            "[{\"name\":\"a\",\"interfaceRequest\":\"net1\",\"cni-args\":{\"x\":1},\"portMappings\":[{}],\"bandwidth\":{}}]",
            "");

    /** Parses and validates; checks the outcome's shape. */
    static void check(String value) {
        ParseResult result = NetworksAnnotation.parse(value);
        switch (result) {
            case Parsed p -> {
                Checks.wellFormed(p.warnings());
                List<io.netattach.cni.Finding> findings = NetworksAnnotation.validate(p.elements());
                Checks.wellFormed(findings);
                // Rendering a parsed value and parsing it again keeps every element.
                String rendered = NetworksAnnotation.render(p.elements());
                ParseResult again = NetworksAnnotation.parse(rendered);
                if (p.elements().isEmpty()) {
                    return;
                }
                Parsed q = assertInstanceOf(Parsed.class, again, rendered);
                assertEquals(p.elements().size(), q.elements().size());
                for (int i = 0; i < p.elements().size(); i++) {
                    assertEquals(p.elements().get(i).name(), q.elements().get(i).name());
                    assertEquals(p.elements().get(i).namespace(), q.elements().get(i).namespace());
                    assertEquals(p.elements().get(i).interfaceName(), q.elements().get(i).interfaceName());
                    assertEquals(p.elements().get(i).fields(), q.elements().get(i).fields());
                }
                assertEquals(rendered, NetworksAnnotation.render(q.elements()));
            }
            case Malformed m -> {
                assertFalse(m.errors().isEmpty(), "malformed without a reason");
                Checks.wellFormed(m.errors());
                assertTrue(Checks.isOneLine(m.reason()), m.reason());
            }
        }
    }

    @Test
    void arbitraryValues() {
        Fuzz.forAll("annotation.arbitrary", 1500, r -> r.nextBoolean() ? Gen.text(r, 120) : Gen.jsonish(r, 20),
                NetworksAnnotationFuzzTest::check);
    }

    @Test
    void mutatedValidValues() {
        Fuzz.forAll("annotation.mutated", 1500, r -> Gen.mutateText(r, Gen.pick(r, SEEDS)), NetworksAnnotationFuzzTest::check);
    }

    @Test
    void mutatedJsonElements() {
        Fuzz.forAll("annotation.mutated-tree", 1000, r -> {
            JsonValue seed = io.netattach.cni.Json.parse(Gen.pick(r, SEEDS.subList(2, 5)));
            return io.netattach.cni.Json.write(Gen.mutate(r, seed));
        }, NetworksAnnotationFuzzTest::check);
    }

    static String label(Random r) {
        int n = 1 + r.nextInt(20);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("abcdefghijklmnopqrstuvwxyz0123456789-".charAt(i == 0 || i == n - 1 ? r.nextInt(36) : r.nextInt(37)));
        }
        return sb.toString();
    }

    @Test
    void generatedSelectionsRoundTripInBothForms() {
        Fuzz.forAll("annotation.round-trip", 1000, (Random r) -> {
            List<NetworkSelection> list = new ArrayList<>();
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                Map<String, JsonValue> m = new LinkedHashMap<>();
                String name = label(r);
                String ns = r.nextBoolean() ? label(r) : null;
                String iface = r.nextBoolean() ? "net" + r.nextInt(100) : null;
                m.put("name", new JsonString(name));
                if (ns != null) {
                    m.put("namespace", new JsonString(ns));
                }
                if (iface != null) {
                    m.put("interface", new JsonString(iface));
                }
                if (r.nextInt(3) == 0) {
                    m.put("ips", new JsonArray(List.of(new JsonString(IpPrefixFuzzTest.prefix(r).toString()))));
                }
                if (r.nextInt(4) == 0) {
                    m.put(Gen.word(r) + "-x", Gen.json(r, 2));
                }
                list.add(new NetworkSelection(name, ns, iface, new JsonObject(m)));
            }
            return list;
        }, list -> {
            String json = NetworksAnnotation.render(list);
            Parsed parsed = assertInstanceOf(Parsed.class, NetworksAnnotation.parse(json), json);
            assertEquals(list, parsed.elements());
            String comma = String.join(", ", list.stream().map(NetworkSelection::shortForm).toList());
            Parsed fromComma = assertInstanceOf(Parsed.class, NetworksAnnotation.parse(comma), comma);
            assertEquals(list.size(), fromComma.elements().size());
            for (int i = 0; i < list.size(); i++) {
                assertEquals(list.get(i).shortForm(), fromComma.elements().get(i).shortForm());
            }
        });
    }
}
