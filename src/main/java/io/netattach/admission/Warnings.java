package io.netattach.admission;

import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.List;

/**
 * Admission warnings as the API server relays them: one HTTP {@code Warning: 299 - "text"} header
 * each, which kubectl prints as {@code Warning: text}. What the API server does with them
 * ({@code k8s.io/apiserver/pkg/endpoints/filters/warning.go}, and the "Admission webhooks" page of
 * the Kubernetes documentation):
 *
 * <ul>
 *   <li>a text with a control character is dropped without a word ({@code net.NewWarningHeader}
 *       refuses it);</li>
 *   <li>once the warnings of one request exceed {@value #MAX_TOTAL} runes in all (from every webhook
 *       and the API server itself), every warning is cut to {@value #MAX_LENGTH} runes, and the ones
 *       after the total is reached again are ignored;</li>
 *   <li>the advice is "limit warnings to 120 characters if possible" ({@value #ADVISED_LENGTH}).</li>
 * </ul>
 *
 * So a warning here: leads with the reason, then says where ({@code (at /json/pointer)}), with the
 * path shortened or left out before the reason is cut; is at most {@value #MAX_LENGTH} characters
 * (the API server never cuts it; most are shorter than the advised {@value #ADVISED_LENGTH}, but a
 * reason is not cut to reach that); is printable ASCII only (other characters are written as
 * {@code \\uXXXX}, the cut mark is {@value #CUT_MARK}); and the warnings of one answer stay within
 * {@value #MAX_TOTAL} characters ({@link #limit}).
 */
public final class Warnings {

    /** Kubernetes' advice for a warning's length ({@code admission/v1 AdmissionResponse.warnings}). */
    public static final int ADVISED_LENGTH = 120;
    /** Longest warning: the API server cuts each warning to 256 runes once a request's warnings exceed {@link #MAX_TOTAL}. */
    public static final int MAX_LENGTH = 256;
    /** Runes of warnings per request beyond which the API server cuts and then ignores warnings. */
    public static final int MAX_TOTAL = 4096;
    /** Marks a cut text: plain ASCII (a non-ASCII mark would make the header non-ASCII). */
    public static final String CUT_MARK = "...";
    /** Characters kept free for the "... and N more warnings" line. */
    private static final int SUMMARY_ROOM = 40;

    private Warnings() {
    }

    /**
     * A finding as a warning: {@code reason (at path)}, the reason whole. The path is written in full
     * when the whole fits {@link #MAX_LENGTH}, else shortened to its last two segments
     * ({@code (at .../netattach.io~1inject-selector)}), else left out; only a reason longer than
     * {@link #MAX_LENGTH} on its own is cut.
     */
    public static String of(Finding finding) {
        String reason = oneLineAscii(finding.message());
        String path = oneLineAscii(finding.path());
        if (path.isEmpty()) {
            return clean(reason);
        }
        String full = reason + " (at " + path + ")";
        if (full.length() <= MAX_LENGTH) {
            return full;
        }
        String shortened = reason + " (at " + tail(path) + ")";
        return shortened.length() <= MAX_LENGTH ? shortened : clean(reason);
    }

    /**
     * Any text as a warning: one line (control characters and runs of whitespace become one space),
     * printable ASCII ({@code \\uXXXX} for anything else), and at most {@link #MAX_LENGTH}
     * characters, cut at a word boundary near the limit (else at the limit, never inside a
     * {@code \\uXXXX}) and ending with {@value #CUT_MARK}. Idempotent.
     */
    public static String clean(String text) {
        String line = oneLineAscii(text);
        if (line.length() <= MAX_LENGTH) {
            return line;
        }
        int cut = MAX_LENGTH - CUT_MARK.length();
        int escape = line.lastIndexOf("\\u", cut - 1);
        if (escape >= 0 && escape + 6 > cut && isEscape(line, escape)) {
            cut = escape;
        }
        int lastSpace = line.lastIndexOf(' ', cut);
        if (lastSpace >= MAX_LENGTH * 3 / 4) {
            cut = lastSpace;
        }
        String head = line.substring(0, cut);
        while (!head.isEmpty() && " ,;:(".indexOf(head.charAt(head.length() - 1)) >= 0) {
            head = head.substring(0, head.length() - 1);
        }
        return head + CUT_MARK;
    }

    /**
     * The warnings of one answer, each {@linkplain #clean cleaned}, blanks dropped, at most
     * {@code maxCount} of them and {@link #MAX_TOTAL} characters in all; what does not fit is counted
     * in a last warning ({@code ... and N more warnings}).
     */
    public static List<String> limit(List<String> warnings, int maxCount) {
        List<String> all = new ArrayList<>(Math.min(warnings.size(), maxCount + 1));
        int total = 0;
        for (String w : warnings) {
            String clean = clean(w);
            if (!clean.isEmpty()) {
                all.add(clean);
                total += clean.length();
            }
        }
        if (all.size() <= maxCount && total <= MAX_TOTAL) {
            return all;
        }
        List<String> kept = new ArrayList<>(maxCount);
        int used = 0;
        for (String w : all) {
            // room for the summary line, in count and in characters
            if (kept.size() >= maxCount - 1 || used + w.length() > MAX_TOTAL - SUMMARY_ROOM) {
                break;
            }
            kept.add(w);
            used += w.length();
        }
        int dropped = all.size() - kept.size();
        kept.add("... and " + dropped + " more warning" + (dropped == 1 ? "" : "s"));
        return kept;
    }

    /** The last two segments of a JSON Pointer, after {@code .../} when there were more. */
    static String tail(String pointer) {
        int last = pointer.lastIndexOf('/');
        int before = last > 0 ? pointer.lastIndexOf('/', last - 1) : -1;
        return before > 0 ? "..." + pointer.substring(before) : pointer;
    }

    private static boolean isEscape(String s, int at) {
        if (at + 6 > s.length()) {
            return true; // a partial escape at the end
        }
        for (int i = at + 2; i < at + 6; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** One line of printable ASCII: whitespace and control runs become one space, other characters {@code \\uXXXX}. */
    static String oneLineAscii(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_LENGTH * 2));
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            if (c < 0x7f) {
                sb.append(c);
            } else {
                sb.append("\\u").append(String.format("%04x", (int) c));
            }
            if (sb.length() > MAX_LENGTH * 4) {
                break; // enough to cut from; a hostile megabyte is not copied
            }
        }
        return sb.toString();
    }
}
