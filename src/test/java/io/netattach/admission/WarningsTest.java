package io.netattach.admission;

import io.netattach.cni.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarningsTest {

    /** The message kubectl printed cut before its reason (issue 11): the reason now comes first and whole. */
    private static final Finding SELECTOR = Finding.warning("/metadata/annotations/netattach.io~1inject-selector",
            "annotation netattach.io/inject-selector: invalid label selector \"app notin x\": expected '(' after 'notin' at"
                    + " position 9; the NAD is admitted but injects into no pod");

    private static boolean printableAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @Test
    void shortFindingLeadsWithTheReasonThenTheFullPath() {
        assertEquals("spec.config is empty (at /spec/config)", Warnings.of(Finding.warning("/spec/config", "spec.config is empty")));
    }

    @Test
    void findingWithoutPathIsJustTheReason() {
        assertEquals("not an object", Warnings.of(Finding.warning("", "not an object")));
    }

    @Test
    void longReasonIsKeptWholeAndThePathShortenedOrKeptWithinTheHardLimit() {
        String w = Warnings.of(SELECTOR);
        assertTrue(w.startsWith(SELECTOR.message()), w);
        assertTrue(w.length() <= Warnings.MAX_LENGTH, w);
        assertTrue(w.endsWith("(at /metadata/annotations/netattach.io~1inject-selector)"), w);
        assertFalse(w.contains(Warnings.CUT_MARK + ")") || w.endsWith(Warnings.CUT_MARK), w);
    }

    @Test
    void pathIsShortenedToItsLastTwoSegmentsWhenTheFullOneDoesNotFit() {
        String reason = "r".repeat(180);
        String path = "/spec/jobTemplate/spec/template/metadata/annotations/k8s.v1.cni.cncf.io~1networks/0";
        String w = Warnings.of(Finding.warning(path, reason));
        assertEquals(reason + " (at .../k8s.v1.cni.cncf.io~1networks/0)", w);
        assertTrue(w.length() <= Warnings.MAX_LENGTH, w);
        String shorter = "r".repeat(100);
        assertEquals(shorter + " (at " + path + ")", Warnings.of(Finding.warning(path, shorter)), "full path when it fits");
    }

    @Test
    void reasonTooLongForThePathDropsThePathAndIsCutAtTheHardLimit() {
        String reason = "the upstream macvlan plugin ignores vlan 100 ".repeat(8);
        String w = Warnings.of(Finding.warning("/spec/config/plugins/0/vlan", reason));
        assertTrue(w.length() <= Warnings.MAX_LENGTH, w);
        assertTrue(w.startsWith("the upstream macvlan plugin ignores vlan 100 the upstream"), w);
        assertTrue(w.endsWith(Warnings.CUT_MARK), w);
        assertFalse(w.contains("(at "), w);
    }

    @Test
    void shortWarningIsUnchanged() {
        assertEquals("spec.config is empty", Warnings.clean("spec.config is empty"));
    }

    @Test
    void exactlyTheHardLimitIsUnchanged() {
        String text = "x".repeat(Warnings.MAX_LENGTH);
        assertEquals(text, Warnings.clean(text));
    }

    @Test
    void longWarningIsCutAtAWordBoundaryWithAnAsciiCutMark() {
        String text = "the upstream macvlan plugin ignores vlan 100 ".repeat(10);
        String cleaned = Warnings.clean(text);
        assertTrue(cleaned.length() <= Warnings.MAX_LENGTH, cleaned);
        assertTrue(cleaned.endsWith("..."), cleaned);
        assertTrue(cleaned.length() >= Warnings.MAX_LENGTH * 3 / 4, cleaned);
        assertFalse(cleaned.contains(" ..."), cleaned);
        String head = cleaned.substring(0, cleaned.length() - 3);
        assertTrue(text.startsWith(head), cleaned);
        assertEquals(' ', text.charAt(head.length()), "cut at a space: " + cleaned);
        assertTrue(printableAscii(cleaned), cleaned);
    }

    @Test
    void longWordIsCutAtTheLimit() {
        String cleaned = Warnings.clean("y".repeat(300));
        assertEquals(Warnings.MAX_LENGTH, cleaned.length());
        assertEquals("y".repeat(Warnings.MAX_LENGTH - 3) + "...", cleaned);
    }

    @Test
    void nonAsciiIsEscapedSoTheHeaderStaysAscii() {
        assertEquals("NAD \\u00e9t\\u00e9-net \\ud83d\\ude00", Warnings.clean("NAD \u00e9t\u00e9-net \uD83D\uDE00"));
        assertEquals("a b", Warnings.clean("a\u00a0b"), "no-break space is whitespace");
    }

    @Test
    void escapeIsNeverSplitByTheCut() {
        String text = "a".repeat(Warnings.MAX_LENGTH - 6) + "\u00e9\u00e9\u00e9";
        String cleaned = Warnings.clean(text);
        assertTrue(cleaned.length() <= Warnings.MAX_LENGTH, cleaned);
        assertTrue(cleaned.endsWith("a..."), cleaned);
        assertTrue(printableAscii(cleaned), cleaned);
    }

    @Test
    void cleaningIsIdempotent() {
        for (String text : List.of("NAD \u00e9t\u00e9", "z ".repeat(400), "line\none", Warnings.of(SELECTOR))) {
            String once = Warnings.clean(text);
            assertEquals(once, Warnings.clean(once), text);
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

    @Test
    void warningsOfOneAnswerStayWithinTheApiServersTotal() {
        List<String> many = new ArrayList<>(Collections.nCopies(25, "w".repeat(250)));
        List<String> sent = Warnings.limit(many, 30);
        int total = sent.stream().mapToInt(String::length).sum();
        assertTrue(total <= Warnings.MAX_TOTAL, "total " + total);
        assertEquals(17, sent.size(), "16 of 250 characters fit 4096 with room for the summary");
        assertEquals("... and 9 more warnings", sent.getLast());
    }

    @Test
    void warningsThatFitAreAllSent() {
        List<String> fit = Collections.nCopies(16, "w".repeat(256));
        assertEquals(16, Warnings.limit(fit, 30).size());
        assertEquals(List.of("a", "b"), Warnings.limit(List.of("a", " ", "b", ""), 30));
    }
}
