package io.netattach.admission;

/**
 * Admission warnings travel to clients as HTTP {@code Warning} headers: Kubernetes asks for at most
 * 120 characters each, printable text only. {@link #clean} makes any message fit.
 */
public final class Warnings {

    /** Longest warning, in characters (Kubernetes: "Warnings over 120 characters may be truncated"). */
    public static final int MAX_LENGTH = 120;
    private static final char ELLIPSIS = '\u2026';

    private Warnings() {
    }

    /**
     * Control characters become spaces, runs of whitespace collapse, and a text longer than
     * {@link #MAX_LENGTH} is cut at a word boundary near the limit (else at the limit, never inside a
     * surrogate pair) and ends with an ellipsis.
     */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_LENGTH * 2));
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(c);
        }
        if (sb.length() <= MAX_LENGTH) {
            return sb.toString();
        }
        int cut = MAX_LENGTH - 1; // room for the ellipsis
        if (Character.isLowSurrogate(sb.charAt(cut)) && Character.isHighSurrogate(sb.charAt(cut - 1))) {
            cut--;
        }
        int lastSpace = sb.lastIndexOf(" ", cut);
        if (lastSpace >= MAX_LENGTH * 3 / 4) {
            cut = lastSpace;
        }
        String head = sb.substring(0, cut);
        while (!head.isEmpty() && (head.endsWith(" ") || head.endsWith(",") || head.endsWith(";") || head.endsWith(":"))) {
            head = head.substring(0, head.length() - 1);
        }
        return head + ELLIPSIS;
    }
}
