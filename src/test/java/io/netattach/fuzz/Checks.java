package io.netattach.fuzz;

import io.netattach.cni.Finding;

import java.util.List;
import java.util.regex.Pattern;

/** Assertions shared by the fuzz properties: findings are well-formed and messages are one line. */
public final class Checks {

    /** RFC 6901: empty, or "/"-separated tokens where "~" is only followed by 0 or 1. */
    private static final Pattern JSON_POINTER = Pattern.compile("(/([^~/]|~[01])*)*");
    /** Longest message a finding may have (values are quoted cut; a message is a sentence). */
    static final int MAX_MESSAGE = 2000;

    private Checks() {
    }

    public static boolean isJsonPointer(String path) {
        return JSON_POINTER.matcher(path).matches();
    }

    /** Characters that end a line for a terminal, a log line or Go's/Java's line readers. */
    public static boolean isOneLine(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\u000b' || c == '\f') {
                return false;
            }
        }
        return true;
    }

    public static void wellFormed(List<Finding> findings) {
        for (Finding f : findings) {
            wellFormed(f);
        }
    }

    public static void wellFormed(Finding f) {
        if (!isJsonPointer(f.path())) {
            throw new AssertionError("finding path is not a JSON Pointer: " + f);
        }
        oneLineMessage(f.message(), f.toString());
    }

    public static void oneLineMessage(String message, String context) {
        if (message == null || message.isBlank()) {
            throw new AssertionError("empty message: " + context);
        }
        if (!isOneLine(message)) {
            throw new AssertionError("message spans lines: " + Fuzz.describe(message));
        }
        if (message.length() > MAX_MESSAGE) {
            throw new AssertionError("message of " + message.length() + " characters: " + message.substring(0, 300) + "...");
        }
    }
}
