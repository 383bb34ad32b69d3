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
