package io.netattach.admission;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarningsTest {

    @Test
    void shortWarningIsUnchanged() {
        assertEquals("/spec/config: spec.config is empty", Warnings.clean("/spec/config: spec.config is empty"));
    }

    @Test
    void exactly120CharactersIsUnchanged() {
        String text = "x".repeat(120);
        assertEquals(text, Warnings.clean(text));
    }

    @Test
    void longWarningIsCutAtAWordBoundaryWithAnEllipsis() {
        String text = "/spec/config/plugins/0/vlan: " + "the upstream macvlan plugin ignores vlan 100 ".repeat(5);
        String cleaned = Warnings.clean(text);
        assertTrue(cleaned.length() <= 120, cleaned);
        assertTrue(cleaned.endsWith("\u2026"), cleaned);
        assertTrue(cleaned.length() >= 90, cleaned);
        assertFalse(cleaned.contains(" \u2026"), cleaned);
        String withoutEllipsis = cleaned.substring(0, cleaned.length() - 1);
        assertTrue(text.startsWith(withoutEllipsis), cleaned);
        assertTrue(text.charAt(withoutEllipsis.length()) == ' ', "cut at a space: " + cleaned);
    }

    @Test
    void longWordIsCutAtTheLimit() {
        String cleaned = Warnings.clean("y".repeat(300));
        assertEquals(120, cleaned.length());
        assertEquals("y".repeat(119) + "\u2026", cleaned);
    }

    @Test
    void surrogatePairIsNeverSplit() {
        String text = "a".repeat(118) + "\uD83D\uDE00" + "b".repeat(10); // emoji straddles the cut
        String cleaned = Warnings.clean(text);
        assertTrue(cleaned.length() <= 120);
        for (int i = 0; i < cleaned.length(); i++) {
            char c = cleaned.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < cleaned.length() && Character.isLowSurrogate(cleaned.charAt(i + 1)), cleaned);
            }
            assertFalse(Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(cleaned.charAt(i - 1))), cleaned);
        }
    }

    @Test
    void controlCharactersAndNewlinesBecomeSingleSpaces() {
        assertEquals("line one line two tab", Warnings.clean("line one\n\nline two\ttab\u0000"));
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", Warnings.clean(null));
    }
}
