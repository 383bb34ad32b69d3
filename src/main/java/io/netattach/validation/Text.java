package io.netattach.validation;

import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

/** How values and paths appear in finding messages: one line, quoted, bounded in length. */
final class Text {

    /** Longest quoted value shown in a message; longer values are cut and marked with their length. */
    static final int MAX_SHOWN = 64;

    private Text() {
    }

    /** {@code s} as a JSON string literal (control characters escaped), cut to {@link #MAX_SHOWN} characters. */
    static String quote(String s) {
        if (s.length() <= MAX_SHOWN) {
            return Json.quote(s);
        }
        return Json.quote(s.substring(0, MAX_SHOWN)) + "... (" + s.length() + " characters)";
    }

    /** A JSON value as shown in a message: strings quoted, numbers and literals as written, containers by kind. */
    static String show(JsonValue value) {
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
    static String showTyped(JsonValue value) {
        return switch (value) {
            case JsonObject ignored -> "an object";
            case JsonArray ignored -> "an array";
            case JsonNull ignored -> "null";
            default -> show(value) + " (" + article(value.typeName()) + ")";
        };
    }

    static String article(String typeName) {
        return switch (typeName) {
            case "object", "array" -> "an " + typeName;
            case "null" -> "null";
            default -> "a " + typeName;
        };
    }

    /** JSON Pointer of member {@code key} under {@code path}. */
    static String at(String path, String key) {
        return path + "/" + Finding.escape(key);
    }

    /** JSON Pointer of element {@code index} under {@code path}. */
    static String at(String path, int index) {
        return path + "/" + index;
    }
}
