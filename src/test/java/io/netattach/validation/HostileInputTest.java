package io.netattach.validation;

import io.netattach.cni.Finding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad input never crashes: every value of the seed config replaced, one at a time, by every JSON type
 * (and hostile values) gives findings that are well-formed, never an exception or an internal failure.
 */
class HostileInputTest {

    private static final List<JsonValue> REPLACEMENTS = List.of(
            JsonNull.INSTANCE, JsonBool.TRUE, new JsonNumber("-1"), new JsonNumber("1.5e308"), new JsonNumber("99999999999999999999999"),
            new JsonString(""), new JsonString("true"), new JsonString("../../x"), new JsonString("a".repeat(20_000)),
            new JsonString("\u0000\n\u2028\"\\"), new JsonString("eth\u0085\u000b\f\u007f\ud83d\ude00"), new JsonArray(List.of()), new JsonArray(List.of(JsonNull.INSTANCE)),
            JsonObject.empty(), nested(200));

    private static JsonValue nested(int depth) {
        JsonValue v = JsonNull.INSTANCE;
        for (int i = 0; i < depth; i++) {
            v = i % 2 == 0 ? new JsonArray(List.of(v)) : new JsonObject(Map.of("k", v));
        }
        return v;
    }

    private static String seedConfig() {
        return Nads.yamlFile(Path.of("deploy/examples/management.yaml")).path("spec").path("config").asText();
    }

    @Test
    void everyValueReplacedByEveryTypeGivesWellFormedFindings() {
        JsonValue seed = Json.parse(seedConfig());
        List<String> paths = new ArrayList<>();
        collectPaths(seed, "", paths);
        assertEquals(20, paths.size(), "paths: " + paths);
        NadValidator validator = new NadValidator();
        NadValidator upstream = new NadValidator(new ValidationOptions(true, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES));
        int runs = 0;
        for (String path : paths) {
            for (JsonValue replacement : REPLACEMENTS) {
                JsonValue mutated = replace(seed, path, 0, v -> replacement);
                ObjectNode nad = Nads.nad("management-net", Json.write(mutated));
                checkWellFormed(validator.validate(nad), path + " := " + abbreviate(replacement));
                checkWellFormed(upstream.validate(nad), path + " := " + abbreviate(replacement));
                runs++;
            }
        }
        assertEquals(paths.size() * REPLACEMENTS.size(), runs);
    }

    @Test
    void typeMistakesInTheSeedAreAllReportedAtTheirPath() {
        JsonValue seed = Json.parse(seedConfig());
        NadValidator validator = new NadValidator();
        // Each of these fields has a required JSON type: any other type must give an ERROR at exactly its path.
        for (String path : List.of("/cniVersion", "/name", "/plugins", "/plugins/0/type", "/plugins/0/master", "/plugins/0/vlan",
                "/plugins/0/mode", "/plugins/0/ipam", "/plugins/0/ipam/type", "/plugins/0/ipam/addresses",
                "/plugins/0/ipam/addresses/0", "/plugins/0/ipam/addresses/0/address", "/plugins/0/ipam/addresses/0/gateway",
                "/plugins/1", "/plugins/1/type", "/plugins/1/addroutes", "/plugins/1/addroutes/0", "/plugins/1/addroutes/0/dst",
                "/plugins/1/addroutes/0/gw")) {
            JsonValue original = get(seed, path);
            for (JsonValue replacement : List.of(JsonBool.TRUE, new JsonNumber("7"), new JsonArray(List.of()), JsonObject.empty())) {
                if (replacement.typeName().equals(original.typeName())) {
                    continue;
                }
                JsonValue mutated = replace(seed, path, 0, v -> replacement);
                List<Finding> findings = validator.validate(Nads.nad("management-net", Json.write(mutated)));
                assertTrue(findings.stream().anyMatch(f -> f.isError() && f.path().equals("/spec/config" + path)),
                        path + " := " + abbreviate(replacement) + " gave\n" + Nads.lines(findings));
            }
        }
    }

    @Test
    void controlCharactersInValuesAreEscapedInMessages() {
        List<Finding> findings = new NadValidator().validate(Nads.chain(
                "{\"type\": \"macvlan\", \"master\": \"eth\u0085x\", \"mode\": \"\u2028\\u0000\", \"ipam\": {}}"));
        assertEquals("ERROR /spec/config/plugins/0/master: master \"eth\\u0085x\" is not a valid interface name: it contains whitespace "
                + "or a control character (1-15 bytes without \"/\", \":\" or whitespace)\n"
                + "ERROR /spec/config/plugins/0/mode: mode \"\\u2028\\u0000\" is not one of bridge, private, vepa, passthru\n",
                Nads.lines(findings));
    }

    @Test
    void controlCharactersInKeysAreEscapedInPaths() {
        List<Finding> findings = new NadValidator().validate(Nads.chain(
                "{\"type\": \"macvlan\", \"master\": \"eth0\", \"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \"10.1.1.1/24\"}], \"a\\nb\": 1}}"));
        assertEquals("WARNING /spec/config/plugins/0/ipam/a\\u000ab: key \"a\\nb\" is not a static IPAM field and is ignored "
                + "(static reads type, addresses, routes, dns)\n", Nads.lines(findings));
    }

    @Test
    void nadLevelWrongTypesGiveFindings() {
        NadValidator validator = new NadValidator();
        List<JsonNode> nodes = new ArrayList<>();
        for (String json : List.of("null", "1", "\"nad\"", "[]", "{}", "{\"metadata\": []}", "{\"metadata\": {\"name\": 5}}",
                "{\"metadata\": {\"name\": \"n\"}, \"spec\": []}", "{\"metadata\": {\"name\": \"n\"}, \"spec\": {\"config\": true}}",
                "{\"metadata\": {\"name\": \"n\"}, \"spec\": {\"config\": [\"{}\"]}}",
                "{\"metadata\": {\"name\": \"n\"}, \"spec\": {\"config\": \"{}\"}}",
                "{\"metadata\": {\"name\": \"n\"}, \"spec\": {\"config\": \"null\"}}",
                "{\"metadata\": {\"name\": \"n\"}, \"spec\": {\"config\": \"{\\\"plugins\\\": [[[[]]]]}\"}}")) {
            try {
                nodes.add(Nads.JSON.readTree(json));
            } catch (Exception e) {
                fail(e);
            }
        }
        nodes.add(null);
        for (JsonNode node : nodes) {
            List<Finding> findings = validator.validate(node);
            checkWellFormed(findings, String.valueOf(node));
            assertFalse(findings.isEmpty(), "no finding for " + node);
        }
    }

    @Test
    void hugeAndDeepConfigsAreRejectedCleanly() {
        NadValidator validator = new NadValidator();
        String deep = "{\"type\": \"macvlan\", \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        List<Finding> deepFindings = validator.validate(Nads.nad("n", deep));
        checkWellFormed(deepFindings, "deep");
        assertEquals(1, deepFindings.size(), Nads.lines(deepFindings));
        assertTrue(deepFindings.get(0).message().startsWith("spec.config is not valid JSON: JSON nested deeper than 256 levels"));

        String huge = "{\"type\": \"macvlan\", \"master\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        List<Finding> hugeFindings = validator.validate(Nads.nad("n", huge));
        assertEquals(1, hugeFindings.size(), Nads.lines(hugeFindings));
        assertEquals("spec.config is " + huge.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + " bytes, more than the limit of 1048576 bytes", hugeFindings.get(0).message());

        String manyPlugins = "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": ["
                + String.join(",", java.util.Collections.nCopies(5000, "{\"type\": \"macvlan\", \"master\": \"eth0\", "
                + "\"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \"10.0.0.1/8\"}]}}")) + "]}";
        List<Finding> many = validator.validate(Nads.nad("n", manyPlugins));
        checkWellFormed(many, "many plugins");
        // one finding, not 5000: the size limit bounds the work and the answer
        assertEquals("ERROR /spec/config: spec.config has more than 2000 JSON values: netattach does not check a config this large "
                + "(a network config has a few dozen)\n", Nads.lines(many));
    }

    static void checkWellFormed(List<Finding> findings, String context) {
        for (Finding f : findings) {
            String m = f.message();
            assertFalse(m.startsWith("internal validator failure"), context + ": " + f);
            assertFalse(m.isBlank(), context + ": empty message");
                        for (char c : m.toCharArray()) {
                assertFalse(Character.isISOControl(c) || c == '\u2028' || c == '\u2029', context + ": control character in " + f);
            }
            assertTrue(m.length() <= 600, context + ": message of " + m.length() + " characters");
            assertTrue(f.path().isEmpty() || f.path().startsWith("/"), context + ": path " + f.path());
            for (char c : f.path().toCharArray()) {
                assertFalse(Character.isISOControl(c) || c == '\u2028' || c == '\u2029', context + ": control character in path of " + f);
            }
        }
    }

    private static String abbreviate(JsonValue v) {
        String s = Json.write(v);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static void collectPaths(JsonValue v, String path, List<String> out) {
        if (!path.isEmpty()) {
            out.add(path);
        }
        if (v instanceof JsonObject o) {
            for (String key : o.members().keySet()) {
                collectPaths(o.members().get(key), path + "/" + Finding.escape(key), out);
            }
        } else if (v instanceof JsonArray a) {
            for (int i = 0; i < a.elements().size(); i++) {
                collectPaths(a.elements().get(i), path + "/" + i, out);
            }
        }
    }

    private static JsonValue get(JsonValue root, String path) {
        JsonValue v = root;
        for (String token : path.substring(1).split("/")) {
            v = v instanceof JsonObject o ? o.members().get(token) : ((JsonArray) v).elements().get(Integer.parseInt(token));
        }
        return v;
    }

    /** A copy of {@code v} with the value at JSON Pointer {@code path} (from character {@code from}) replaced. */
    private static JsonValue replace(JsonValue v, String path, int from, UnaryOperator<JsonValue> f) {
        if (from >= path.length()) {
            return f.apply(v);
        }
        int next = path.indexOf('/', from + 1);
        String token = path.substring(from + 1, next < 0 ? path.length() : next);
        int rest = next < 0 ? path.length() : next;
        if (v instanceof JsonObject o) {
            Map<String, JsonValue> copy = new LinkedHashMap<>(o.members());
            String key = token.replace("~1", "/").replace("~0", "~");
            copy.put(key, replace(o.members().get(key), path, rest, f));
            return new JsonObject(copy);
        }
        JsonArray a = (JsonArray) v;
        List<JsonValue> copy = new ArrayList<>(a.elements());
        int i = Integer.parseInt(token);
        copy.set(i, replace(a.elements().get(i), path, rest, f));
        return new JsonArray(copy);
    }
}
