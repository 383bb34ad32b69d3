package io.netattach.cni;

import java.util.Objects;

/**
 * One finding: its severity, a JSON Pointer (RFC 6901) into the object it was found in, and a
 * one-line message naming the field and the bad value. The webhook, {@code lint} and the tests all
 * speak this type.
 *
 * <p>Paths into the CNI config inside a NAD continue through the config string, e.g.
 * {@code /spec/config/plugins/0/master}.
 */
public record Finding(Severity severity, String path, String message) {

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    public static Finding error(String path, String message) {
        return new Finding(Severity.ERROR, path, message);
    }

    public static Finding warning(String path, String message) {
        return new Finding(Severity.WARNING, path, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** Escapes one reference token for a JSON Pointer ({@code ~} -> {@code ~0}, {@code /} -> {@code ~1}). */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** {@code SEVERITY path: message}, the form {@code lint} prints after the file name. */
    @Override
    public String toString() {
        return severity + " " + (path.isEmpty() ? "/" : path) + ": " + message;
    }
}
