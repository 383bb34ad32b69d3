package io.netattach.fuzz;

import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Json}: any input parses or fails with {@link JsonException} only; generated trees round-trip. */
class JsonFuzzTest {

    /** Parses {@code text}; the only failure allowed is a JsonException with a sane position and one-line message. */
    static void parsesOrJsonException(String text) {
        try {
            JsonValue v = Json.parse(text);
            // Whatever parsed must be written back to text that parses to the same tree (duplicate keys
            // collapse to the last value when written, so compare the written text).
            String written = Json.write(v);
            assertEquals(written, Json.write(Json.parse(written)));
        } catch (JsonException e) {
            assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
            long lines = text.chars().filter(c -> c == '\n').count() + 1;
            assertTrue(e.line() <= lines, "line " + e.line() + " of " + lines);
            Checks.oneLineMessage(e.getMessage(), "JsonException");
        }
    }

    @Test
    void arbitraryStrings() {
        Fuzz.forAll("json.arbitrary-strings", 1000, r -> Gen.text(r, 200), JsonFuzzTest::parsesOrJsonException);
    }

    @Test
    void jsonTokenSoup() {
        Fuzz.forAll("json.token-soup", 1000, r -> Gen.jsonish(r, 40), JsonFuzzTest::parsesOrJsonException);
    }

    @Test
    void arbitraryBytesDecodedAsUtf8AndLatin1() {
        Fuzz.forAll("json.arbitrary-bytes", 500, r -> Gen.bytes(r, 300), bytes -> {
            parsesOrJsonException(new String(bytes, StandardCharsets.UTF_8));
            parsesOrJsonException(new String(bytes, StandardCharsets.ISO_8859_1));
        });
    }

    @Test
    void mutatedValidJson() {
        Fuzz.forAll("json.mutated-valid", 1000, r -> {
            String seed = r.nextInt(3) == 0 ? Json.writePretty(Gen.json(r, 4)) : Gen.pick(r, Seeds.CONFIGS);
            return Gen.mutateText(r, seed);
        }, JsonFuzzTest::parsesOrJsonException);
    }

    @Test
    void generatedTreesRoundTripCompactAndPretty() {
        Fuzz.forAll("json.round-trip", 1000, (Random r) -> Json.write(Gen.json(r, 5)), compact -> {
            JsonValue tree = Json.parse(compact);
            assertEquals(compact, Json.write(tree));
            assertEquals(tree, Json.parse(Json.writePretty(tree)));
            assertEquals(compact, Json.write(Json.parse(Json.writePretty(tree))));
        });
    }

    @Test
    void depthAndLengthLimitsRejectCleanly() {
        Fuzz.forAll("json.limits", 300, r -> {
            int depth = 1 + r.nextInt(400);
            String open = r.nextBoolean() ? "[" : "{\"k\":";
            String close = open.equals("[") ? "]" : "}";
            return open.repeat(depth) + "1" + close.repeat(r.nextInt(4) == 0 ? r.nextInt(depth + 1) : depth);
        }, text -> {
            try {
                Json.parse(text, 64, 1 << 20);
                assertTrue(text.chars().filter(c -> c == '[' || c == '{').count() <= 64, "parsed beyond max depth");
            } catch (JsonException e) {
                Checks.oneLineMessage(e.getMessage(), "JsonException");
            }
        });
    }
}
