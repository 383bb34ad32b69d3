package io.netattach.fuzz;

import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The smallest inputs of the bugs the fuzz properties found, kept as plain regression tests. */
class FuzzRegressionTest {

    @Test
    void invalidEscapeOfAControlCharacterIsNamedNotEchoed() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"\\\n\""));
        assertEquals("invalid escape '\\' followed by U+000A in string at line 1, column 3", e.getMessage());
        assertTrue(Checks.isOneLine(e.getMessage()));
        JsonException printable = assertThrows(JsonException.class, () -> Json.parse("\"\\x\""));
        assertEquals("invalid escape '\\x' in string at line 1, column 3", printable.getMessage());
    }

    @Test
    void quotingEscapesC1ControlsSoQuotedValuesStayOnOneLine() {
        assertEquals("\"a\\u0085b\\u009b[2Jc\\u007f\"", Json.quote("a\u0085b\u009b[2Jc\u007f"));
        assertEquals(new JsonString("a\u0085b\u009bc"), Json.parse(Json.quote("a\u0085b\u009bc")));
        assertEquals("\"é€\"", Json.quote("é€"));
    }
}
