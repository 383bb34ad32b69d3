package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code CNI_ARGS}: {@code K1=V1;K2=V2}. As in the reference library, a key the plugin does not
 * know is an error unless {@code IgnoreUnknown} is true (Multus always sends
 * {@code IgnoreUnknown=true}). Errors are code 4 (invalid environment variables).
 */
public final class CniArgs {

    /** Keys every plugin accepts: those Multus and CRI runtimes send. */
    public static final Set<String> COMMON_KEYS = Set.of("IgnoreUnknown", "K8S_POD_NAMESPACE", "K8S_POD_NAME",
            "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID");

    private CniArgs() {
    }

    /** Splits {@code text} into pairs; a pair without exactly one {@code =} is an error. */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split(";", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || pair.indexOf('=', eq + 1) >= 0) {
                throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "CNI_ARGS: invalid pair \"" + pair
                        + "\" (expected KEY=VALUE)");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /** Whether {@code IgnoreUnknown} is set to true ("true" in any case, or "1"). */
    public static boolean ignoreUnknown(Map<String, String> args) {
        String v = args.get("IgnoreUnknown");
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
    }

    /** Rejects keys outside {@code known} and {@link #COMMON_KEYS} unless IgnoreUnknown is true. */
    public static void checkKnown(Map<String, String> args, Set<String> known) {
        if (ignoreUnknown(args)) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        for (String key : args.keySet()) {
            if (!known.contains(key) && !COMMON_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "CNI_ARGS: unknown args " + unknown
                    + " (set IgnoreUnknown=true to ignore them)");
        }
    }

    /**
     * Parses {@code raw} and returns the values of {@code knownKeys}, rejecting other keys (besides
     * {@link #COMMON_KEYS}) unless IgnoreUnknown is true; a malformed IgnoreUnknown value is an error.
     */
    public static Map<String, String> parse(String raw, Set<String> knownKeys) {
        Map<String, String> all = parse(raw);
        String ignore = all.get("IgnoreUnknown");
        if (ignore != null && !ignore.equalsIgnoreCase("true") && !ignore.equalsIgnoreCase("false")
                && !ignore.equals("1") && !ignore.equals("0")) {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "CNI_ARGS IgnoreUnknown: \"" + ignore
                    + "\" is not a boolean");
        }
        checkKnown(all, knownKeys);
        Map<String, String> known = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (knownKeys.contains(e.getKey())) {
                known.put(e.getKey(), e.getValue());
            }
        }
        return known;
    }
}
