package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonObject;

import java.util.Optional;

/**
 * The configuration one plugin receives on stdin (spec section "Deriving request configuration"):
 * the plugin object of a conflist plus the runtime-inserted {@code cniVersion}, {@code name},
 * {@code runtimeConfig}, {@code prevResult}. Plugin-specific fields are read from {@link #raw()}
 * with {@link Fields}.
 *
 * @param cniVersion    the {@code cniVersion} text as given ("" when absent, which means 0.1.0)
 * @param prevResult    the raw {@code prevResult}, null when absent or JSON null
 */
public record NetConf(String cniVersion, String name, String type, JsonObject ipam, Dns dns,
                      JsonObject runtimeConfig, JsonObject args, JsonObject capabilities,
                      JsonValue prevResult, JsonObject raw) {

    /**
     * Parses stdin. Malformed JSON or a non-object is a decode failure (code 6); well-formed JSON
     * whose standard fields have the wrong type is an invalid config (code 7).
     */
    public static NetConf parse(String stdin) {
        JsonValue value;
        try {
            value = Json.parse(stdin);
        } catch (JsonException e) {
            throw CniException.decode("error parsing network configuration: " + e.getMessage());
        }
        if (!(value instanceof JsonObject o)) {
            throw CniException.decode("error parsing network configuration: expected a JSON object, got "
                    + value.typeName());
        }
        return fromJson(o);
    }

    public static NetConf fromJson(JsonObject o) {
        String cniVersion = Fields.string(o, "", "cniVersion").orElse("");
        String name = Fields.string(o, "", "name").orElse("");
        String type = Fields.string(o, "", "type").orElse("");
        JsonObject ipam = Fields.object(o, "", "ipam").orElse(null);
        Dns dns = Fields.object(o, "", "dns").map(d -> Dns.fromJson(d, "dns")).orElse(Dns.EMPTY);
        JsonObject runtimeConfig = Fields.object(o, "", "runtimeConfig").orElse(JsonObject.empty());
        JsonObject args = Fields.object(o, "", "args").orElse(JsonObject.empty());
        JsonObject capabilities = Fields.object(o, "", "capabilities").orElse(JsonObject.empty());
        JsonValue prev = o.get("prevResult").filter(v -> v != JsonNull.INSTANCE).orElse(null);
        return new NetConf(cniVersion, name, type, ipam, dns, runtimeConfig, args, capabilities, prev, o);
    }

    /** The version this config speaks: its {@code cniVersion}, or 0.1.0 when absent. */
    public Optional<CniVersion> version() {
        return cniVersion.isEmpty() ? Optional.of(CniVersion.ASSUMED_WHEN_MISSING) : CniVersion.parse(cniVersion);
    }

    /** {@code ipam.type}, empty when there is no IPAM section or no type. */
    public String ipamType() {
        return ipam == null ? "" : Fields.string(ipam, "ipam", "type").orElse("");
    }

    /** {@code args.cni}, empty object when absent. */
    public JsonObject argsCni() {
        return Fields.object(args, "args", "cni").orElse(JsonObject.empty());
    }

    /** The parsed {@code prevResult} (any result version), if present. */
    public Optional<Result> parsedPrevResult() {
        if (prevResult == null) {
            return Optional.empty();
        }
        CniVersion fallback = version().orElse(CniVersion.CURRENT);
        return Optional.of(Result.fromJson(prevResult, "prevResult", fallback));
    }
}
