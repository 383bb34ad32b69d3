package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

/**
 * How values and paths appear in finding and error messages: one line, quoted, bounded in length. The one
 * place that escapes control characters for messages (validator findings, plugin errors alike).
 */
public final class Text {

    /** Longest quoted value shown in a message; longer values are cut and marked with their length. */
    public static final int MAX_SHOWN = 64;

    private Text() {
    }

    /**
     * {@code s} as a JSON string literal, cut to {@link #MAX_SHOWN} characters. Every control character
     * (C0, DEL, C1 such as U+0085) and the line separators U+2028/U+2029 are escaped, so a message stays on one line.
     */
    public static String quote(String s) {
        if (s.length() <= MAX_SHOWN) {
            return escapeControls(Json.quote(s));
        }
        int end = Character.isHighSurrogate(s.charAt(MAX_SHOWN - 1)) ? MAX_SHOWN - 1 : MAX_SHOWN;
        return escapeControls(Json.quote(s.substring(0, end))) + "... (" + s.length() + " characters)";
    }

    /**
     * {@code s} with every control character (C0, DEL, C1 such as U+0085) and the line separators
     * U+2028/U+2029 written as JSON-style backslash-u escapes, so that a message quoting it stays on one line.
     */
    public static String oneLine(String s) {
        return escapeControls(s);
    }

    private static String escapeControls(String quoted) {
        StringBuilder sb = null;
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            boolean control = (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c < 0x20;
            if (control && sb == null) {
                sb = new StringBuilder(quoted.length() + 8).append(quoted, 0, i);
            }
            if (sb != null) {
                if (control) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? quoted : sb.toString();
    }

    /** A JSON value as shown in a message: strings quoted, numbers and literals as written, containers by kind. */
    public static String show(JsonValue value) {
        return switch (value) {
            case JsonString s -> quote(s.value());
            case JsonNumber n -> n.text().length() <= MAX_SHOWN ? n.text() : n.text().substring(0, MAX_SHOWN) + "...";
            case JsonBool b -> Boolean.toString(b.value());
            case JsonNull ignored -> "null";
            case JsonObject ignored -> "an object";
            case JsonArray ignored -> "an array";
        };
    }

    /** The value and its JSON type, for wrong-type messages: {@code "100" (a string)}, {@code an object}. */
    public static String showTyped(JsonValue value) {
        return switch (value) {
            case JsonObject ignored -> "an object";
            case JsonArray ignored -> "an array";
            case JsonNull ignored -> "null";
            default -> show(value) + " (" + article(value.typeName()) + ")";
        };
    }

    public static String article(String typeName) {
        return switch (typeName) {
            case "object", "array" -> "an " + typeName;
            case "null" -> "null";
            default -> "a " + typeName;
        };
    }

    /**
     * JSON Pointer of member {@code key} under {@code path}. Control characters in a key are written as
     * {@code \\uXXXX} so that a path, like a message, always stays on one line.
     */
    public static String at(String path, String key) {
        String token = Finding.escape(key);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                String quoted = escapeControls(token);
                return path + "/" + quoted;
            }
        }
        return path + "/" + token;
    }

    /** JSON Pointer of element {@code index} under {@code path}. */
    public static String at(String path, int index) {
        return path + "/" + index;
    }
}
