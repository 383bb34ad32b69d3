package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CNI_ARGS ({@code K=V;K2=V2}) read for one plugin as the reference {@code types.LoadArgs} does: every
 * pair must be {@code KEY=VALUE}; keys the plugin knows are returned; other keys are an error (code 4)
 * unless {@code IgnoreUnknown} is true ({@code 1}/{@code true}; Multus always sends it).
 */
public final class CniArgs {

    private CniArgs() {
    }

    /** The values of {@code knownKeys} present in {@code raw} (case-sensitive, as the reference). */
    public static Map<String, String> parse(String raw, Set<String> knownKeys) {
        Map<String, String> known = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return known;
        }
        List<String> unknown = new ArrayList<>();
        boolean ignoreUnknown = false;
        for (String pair : raw.split(";", -1)) {
            String[] kv = pair.split("=", -1);
            if (kv.length != 2) {
                throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "CNI_ARGS: invalid pair \"" + pair
                        + "\" (expected KEY=VALUE)");
            }
            if (kv[0].equals("IgnoreUnknown")) {
                ignoreUnknown = switch (kv[1]) {
                    case "1", "true", "True", "TRUE" -> true;
                    case "0", "false", "False", "FALSE" -> false;
                    default -> throw new CniException(CniError.CODE_INVALID_ENVIRONMENT,
                            "CNI_ARGS IgnoreUnknown: \"" + kv[1] + "\" is not a boolean");
                };
            } else if (knownKeys.contains(kv[0])) {
                known.put(kv[0], kv[1]);
            } else {
                unknown.add(pair);
            }
        }
        if (!unknown.isEmpty() && !ignoreUnknown) {
            throw new CniException(CniError.CODE_INVALID_ENVIRONMENT, "CNI_ARGS: unknown args "
                    + unknown.stream().map(Json::quote).toList() + " (add IgnoreUnknown=true to ignore them)");
        }
        return known;
    }
}
