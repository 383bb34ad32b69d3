package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void objectsKeepKeyOrderAndRoundTrip() {
        String text = "{\"z\":1,\"a\":[true,false,null],\"m\":{\"k\":\"v\"},\"n\":-1.5e3}";
        JsonValue value = Json.parse(text);
        assertEquals(List.of("z", "a", "m", "n"), List.copyOf(((JsonObject) value).members().keySet()));
        assertEquals(text, Json.write(value));
    }

    @Test
    void numbersKeepTheirLiteralText() {
        JsonNumber n = (JsonNumber) Json.parse("12345678901234567890123");
        assertEquals("12345678901234567890123", n.toJson());
        assertTrue(n.longValue().isEmpty(), "beyond long range");
        assertEquals(100L, ((JsonNumber) Json.parse("1e2")).longValue().orElseThrow());
        assertTrue(((JsonNumber) Json.parse("1.5")).longValue().isEmpty());
    }

    @Test
    void duplicateKeysAreReportedAndLastWins() {
        JsonObject o = (JsonObject) Json.parse("{\"type\":\"a\",\"type\":\"b\"}");
        assertEquals(new JsonString("b"), o.get("type").orElseThrow());
        assertEquals(java.util.Set.of("type"), o.duplicateKeys());
    }

    @Test
    void objectsAreImmutableWhetherParsedBuiltOrCopied() {
        JsonObject parsed = (JsonObject) Json.parse("{\"a\":1,\"b\":{\"c\":2}}");
        java.util.LinkedHashMap<String, JsonValue> source = new java.util.LinkedHashMap<>();
        source.put("a", JsonNumber.of(1));
        JsonObject built = new JsonObject(source);
        source.put("late", JsonNumber.of(2)); // the object took a copy
        assertEquals(List.of("a"), List.copyOf(built.members().keySet()));
        JsonObject with = parsed.with("z", JsonNumber.of(3));
        assertEquals("{\"a\":1,\"b\":{\"c\":2},\"z\":3}", with.toJson());
        assertEquals("{\"a\":1,\"b\":{\"c\":2}}", parsed.toJson(), "with() leaves the original alone");
        assertEquals("{\"b\":{\"c\":2}}", parsed.without("a").toJson());
        for (JsonObject o : List.of(parsed, built, with)) {
            Map<String, JsonValue> m = o.members();
            assertThrows(UnsupportedOperationException.class, () -> m.put("x", JsonNumber.of(0)));
            assertThrows(UnsupportedOperationException.class, () -> m.remove("a"));
            assertThrows(UnsupportedOperationException.class, m::clear);
            assertThrows(UnsupportedOperationException.class, () -> m.keySet().remove("a"));
            assertThrows(UnsupportedOperationException.class, () -> m.values().clear());
            assertThrows(UnsupportedOperationException.class, () -> m.entrySet().iterator().next().setValue(JsonNumber.of(0)));
            assertThrows(UnsupportedOperationException.class, () -> m.replaceAll((k, v) -> v));
            assertThrows(UnsupportedOperationException.class, () -> m.computeIfAbsent("y", k -> JsonNumber.of(0)));
            assertEquals(new java.util.LinkedHashMap<>(m), m, "equal to a plain map of the same members");
            assertEquals(new java.util.LinkedHashMap<>(m).hashCode(), m.hashCode());
        }
        assertEquals(new JsonObject(Map.of("a", JsonNumber.of(1))), built, "records compare by members");
        assertEquals(Json.parse("{\"a\":1}"), built);
    }

    @Test
    void escapesAreDecodedAndReEncoded() {
        JsonString s = (JsonString) Json.parse("\"a\\\"b\\\\c\\/d\\n\\u00e9\\u0001\"");
        assertEquals("a\"b\\c/d\né\u0001", s.value());
        assertEquals("\"a\\\"b\\\\c/d\\né\\u0001\"", Json.write(s));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty JSON text at line 1, column 1",
            "{|expected a quoted object key but found end of JSON text at line 1, column 2",
            "{\"a\":1,}|expected a quoted object key but found '}' at line 1, column 8",
            "[1 2]|expected ',' or ']' in array but found '2' at line 1, column 4",
            "{\"a\" 1}|expected ':' but found '1' at line 1, column 6",
            "tru|unexpected 't' at line 1, column 1",
            "01|unexpected '1' after the JSON value at line 1, column 2",
            "1.|invalid number: digits expected after '.' at line 1, column 3",
            "\"abc|unterminated string at line 1, column 5",
            "\"\\x\"|invalid escape '\\x' in string at line 1, column 3",
    })
    void malformedInputGivesPositionedMessages(String text, String message) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void positionsCountLines() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("{}\n  x"));
        assertEquals("unexpected 'x' after the JSON value at line 2, column 3", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(3, e.column());
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().startsWith("JSON nested deeper than 256 levels"), e.getMessage());
        assertInstanceOf(JsonArray.class, Json.parse("[".repeat(256) + "]".repeat(256)));
    }

    @Test
    void oversizedInputIsRejectedBeforeParsing() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[" + " ".repeat(100) + "]", 10, 50));
        assertEquals("JSON text of 102 characters exceeds the limit of 50 at line 1, column 1", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\tb\"", "\"\u0000\""})
    void rawControlCharactersInStringsAreRejected(String text) {
        assertThrows(JsonException.class, () -> Json.parse(text));
    }

    @Test
    void prettyOutputIsIndentedAndParsesBack() {
        JsonObject o = new JsonObject(Map.of("cniVersion", new JsonString("1.0.0")))
                .with("ips", new JsonArray(List.of(new JsonObject(Map.of("address", new JsonString("10.1.1.2/24"))))));
        String pretty = Json.writePretty(o);
        assertEquals("""
                {
                  "cniVersion": "1.0.0",
                  "ips": [
                    {
                      "address": "10.1.1.2/24"
                    }
                  ]
                }""", pretty);
        assertEquals(o, Json.parse(pretty));
    }
}
