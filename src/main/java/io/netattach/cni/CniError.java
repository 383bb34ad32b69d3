package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CNI error object a plugin prints on stdout (exit status non-zero):
 * {@code {"cniVersion": ..., "code": N, "msg": ..., "details": ...}}.
 *
 * @param code    one of the {@code CODE_*} constants (0-99 reserved by the spec) or a plugin-specific code
 * @param msg     short message
 * @param details longer explanation, may be empty
 */
public record CniError(int code, String msg, String details) {

    /** Incompatible CNI version. */
    public static final int CODE_INCOMPATIBLE_VERSION = 1;
    /** Unsupported field in network configuration; the message names the key and value. */
    public static final int CODE_UNSUPPORTED_FIELD = 2;
    /** Container unknown or does not exist (no cleanup needed). */
    public static final int CODE_UNKNOWN_CONTAINER = 3;
    /** Invalid necessary environment variables, like CNI_COMMAND, CNI_CONTAINERID; names them. */
    public static final int CODE_INVALID_ENVIRONMENT = 4;
    /** I/O failure. */
    public static final int CODE_IO_FAILURE = 5;
    /** Failed to decode content (malformed JSON, wrong types). */
    public static final int CODE_DECODE_FAILURE = 6;
    /** Invalid network config. */
    public static final int CODE_INVALID_NETWORK_CONFIG = 7;
    /** Invalid network namespace (Go library's ErrInvalidNetNS). */
    public static final int CODE_INVALID_NETNS = 8;
    /** Try again later: transient condition. */
    public static final int CODE_TRY_AGAIN_LATER = 11;
    /** STATUS: plugin not available. */
    public static final int CODE_NOT_AVAILABLE = 50;
    /** STATUS: plugin not available and existing containers may have limited connectivity. */
    public static final int CODE_NOT_AVAILABLE_LIMITED = 51;
    /** Internal error (Go library's ErrInternal). Also used for kernel failures of an operation. */
    public static final int CODE_INTERNAL = 999;

    public CniError {
        msg = msg == null ? "" : msg;
        details = details == null ? "" : details;
    }

    public CniError(int code, String msg) {
        this(code, msg, "");
    }

    /**
     * The error as JSON. {@code cniVersion} is included when given (the Go library omits it;
     * runtimes accept both).
     */
    public JsonObject toJson(String cniVersion) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        if (cniVersion != null && !cniVersion.isEmpty()) {
            m.put("cniVersion", new JsonString(cniVersion));
        }
        m.put("code", JsonNumber.of(code));
        m.put("msg", new JsonString(msg));
        if (!details.isEmpty()) {
            m.put("details", new JsonString(details));
        }
        return new JsonObject(m);
    }

    /** Reads an error object as printed by another plugin (e.g. a delegated IPAM plugin). */
    public static java.util.Optional<CniError> fromJson(JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            return java.util.Optional.empty();
        }
        if (!(o.get("code").orElse(null) instanceof JsonNumber n) || n.longValue().isEmpty()) {
            return java.util.Optional.empty();
        }
        String msg = o.get("msg").orElse(null) instanceof JsonString s ? s.value() : "";
        String details = o.get("details").orElse(null) instanceof JsonString s ? s.value() : "";
        return java.util.Optional.of(new CniError(n.longValue().get().intValue(), msg, details));
    }

    @Override
    public String toString() {
        return details.isEmpty() ? msg : msg + "; " + details;
    }
}
