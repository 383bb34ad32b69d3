package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict RFC 8259 JSON reader and writer for {@link JsonValue}, with limits on nesting depth and size
 * so that hostile input is rejected cleanly (no stack overflow, no unbounded memory).
 */
public final class Json {

    /** Default maximum nesting depth of arrays and objects. */
    public static final int DEFAULT_MAX_DEPTH = 256;
    /** Default maximum input length in characters. */
    public static final int DEFAULT_MAX_LENGTH = 4 * 1024 * 1024;

    private final String text;
    private final int maxDepth;
    private int pos;

    private Json(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    public static JsonValue parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH);
    }

    public static JsonValue parse(String text, int maxDepth, int maxLength) {
        if (text == null) {
            throw new JsonException("no JSON text", 1, 1);
        }
        if (text.length() > maxLength) {
            throw new JsonException("JSON text of " + text.length() + " characters exceeds the limit of "
                    + maxLength, 1, 1);
        }
        Json reader = new Json(text, maxDepth);
        reader.skipWhitespace();
        if (reader.pos >= text.length()) {
            throw reader.error("empty JSON text");
        }
        JsonValue value = reader.readValue(0);
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected " + reader.describeHere() + " after the JSON value");
        }
        return value;
    }

    private JsonValue readValue(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> readObject(depth + 1);
            case '[' -> readArray(depth + 1);
            case '"' -> new JsonString(readString());
            case 't' -> readLiteral("true", JsonBool.TRUE);
            case 'f' -> readLiteral("false", JsonBool.FALSE);
            case 'n' -> readLiteral("null", JsonNull.INSTANCE);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber();
                }
                throw error("unexpected " + describeHere());
            }
        };
    }

    private JsonObject readObject(int depth) {
        checkDepth(depth);
        pos++; // {
        LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
        Set<String> duplicates = Set.of();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonObject(FrozenMembers.of(members), duplicates);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a quoted object key but found " + describeHere());
            }
            String key = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            JsonValue value = readValue(depth);
            if (members.put(key, value) != null) {
                if (duplicates.isEmpty()) {
                    duplicates = new LinkedHashSet<>();
                }
                duplicates.add(key);
            }
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return new JsonObject(FrozenMembers.of(members), duplicates);
            } else {
                throw error("expected ',' or '}' in object but found " + describeHere());
            }
        }
    }

    private JsonArray readArray(int depth) {
        checkDepth(depth);
        pos++; // [
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(readValue(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return new JsonArray(elements);
            } else {
                throw error("expected ',' or ']' in array but found " + describeHere());
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw error("JSON nested deeper than " + maxDepth + " levels");
        }
    }

    private String readString() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String result = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return result;
            }
            if (c < 0x20) {
                throw error("control character U+" + String.format("%04X", (int) c) + " in string (must be escaped)");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, start, pos);
                pos++;
                if (pos >= text.length()) {
                    throw error("unterminated escape in string");
                }
                char e = text.charAt(pos);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 >= text.length()) {
                            throw error("truncated \\u escape in string");
                        }
                        int code = 0;
                        for (int i = 1; i <= 4; i++) {
                            int digit = Character.digit(text.charAt(pos + i), 16);
                            if (digit < 0) {
                                throw error("invalid \\u escape in string");
                            }
                            code = code * 16 + digit;
                        }
                        sb.append((char) code);
                        pos += 4;
                    }
                    default -> throw error("invalid escape '\\" + (e < 0x20 || e > 0x7e
                            ? "' followed by U+" + String.format("%04X", (int) e) : e + "'") + " in string");
                }
                pos++;
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private JsonNumber readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("invalid number");
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("invalid number: digits expected after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("invalid number: digits expected in exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos - start > 100) {
            throw error("number literal longer than 100 characters");
        }
        return new JsonNumber(text.substring(start, pos));
    }

    private JsonValue readLiteral(String literal, JsonValue value) {
        if (!text.startsWith(literal, pos)) {
            throw error("unexpected " + describeHere());
        }
        pos += literal.length();
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "' but found " + describeHere());
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of JSON text";
        }
        char c = text.charAt(pos);
        if (c < 0x20 || c > 0x7e) {
            return "character U+" + String.format("%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private JsonException error(String message) {
        int line = 1;
        int column = 1;
        int end = Math.min(pos, text.length());
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new JsonException(message, line, column);
    }

    // ---------------------------------------------------------------- writing

    /** Compact JSON text of {@code value}. */
    public static String write(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, -1, 0);
        return sb.toString();
    }

    /** Indented JSON text of {@code value} (two spaces), as CNI plugins print results. */
    public static String writePretty(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, 2, 0);
        return sb.toString();
    }

    private static void write(JsonValue value, StringBuilder sb, int indent, int level) {
        switch (value) {
            case JsonObject o -> {
                if (o.members().isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    newline(sb, indent, level + 1);
                    quote(e.getKey(), sb);
                    sb.append(indent >= 0 ? ": " : ":");
                    write(e.getValue(), sb, indent, level + 1);
                }
                newline(sb, indent, level);
                sb.append('}');
            }
            case JsonArray a -> {
                if (a.elements().isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                boolean first = true;
                for (JsonValue element : a.elements()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    newline(sb, indent, level + 1);
                    write(element, sb, indent, level + 1);
                }
                newline(sb, indent, level);
                sb.append(']');
            }
            case JsonString s -> quote(s.value(), sb);
            case JsonNumber n -> sb.append(n.text());
            case JsonBool b -> sb.append(b.value());
            case JsonNull ignored -> sb.append("null");
        }
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append(" ".repeat(indent * level));
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // C0 and C1 controls and the Unicode line/paragraph separators are escaped, so that
                    // quoted values stay on one line in messages, logs and terminals (U+0085 is NEL,
                    // U+009B an 8-bit CSI).
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(s, sb);
        return sb.toString();
    }
}
