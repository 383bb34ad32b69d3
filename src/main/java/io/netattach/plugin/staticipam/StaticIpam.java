package io.netattach.plugin.staticipam;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Dns;
import io.netattach.cni.IpConfig;
import io.netattach.cni.Result;
import io.netattach.cni.Route;
import io.netattach.cni.IpPrefix;
import io.netattach.plugin.CniArgs;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.conf.StaticIpamConfig;
import io.netattach.cni.conf.StaticIpamConfig.Address;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The static IPAM plugin's logic as pure functions: config (+ CNI_ARGS) in, effective configuration
 * ({@link StaticIpamConfig}, the one model the validator also reads), result and CHECK verdict out. Behaves
 * as the reference {@code static} plugin (containernetworking/plugins) with stricter validation.
 */
public final class StaticIpam {

    /** CNI error code: invalid environment variables (CNI_ARGS). */
    public static final int CODE_INVALID_ENV = CniError.CODE_INVALID_ENVIRONMENT;
    /** CNI error code: invalid network config. */
    public static final int CODE_INVALID_CONFIG = CniError.CODE_INVALID_NETWORK_CONFIG;

    private StaticIpam() {
    }

    /**
     * Loads the effective configuration from the full network config (as delegated by the main plugin)
     * and the raw CNI_ARGS string ({@code K=V;K2=V2}, may be empty); throws as at ADD time.
     */
    public static StaticIpamConfig load(JsonObject conf, CniVersion version, String cniArgs) {
        return load(conf, version, parseCniArgs(cniArgs));
    }

    /**
     * As {@link #load(JsonObject, CniVersion, String)} with CNI_ARGS already parsed (skeleton request): the
     * config loader's first ERROR finding is the CNI error (code 7), in the words the webhook shows.
     */
    public static StaticIpamConfig load(JsonObject conf, CniVersion version, Map<String, String> envArgs) {
        return StaticIpamConfig.load(conf, version, envArgs).orThrow();
    }

    /**
     * The ADD result: {@code ips} (address, gateway), the configured {@code routes} and {@code dns};
     * no interfaces (an IPAM plugin creates none). Convert with {@link Result#toJson(CniVersion)}.
     */
    public static Result addResult(StaticIpamConfig config) {
        List<IpConfig> ips = config.addresses().stream()
                .map(a -> new IpConfig(a.address(), a.gateway().orElse(null), null)).toList();
        return new Result(config.cniVersion(), List.of(), ips, config.routes(), config.dns());
    }

    /**
     * CHECK: every configured address must be in {@code prevResult.ips} with the same prefix length and,
     * when a gateway is configured, the same gateway. {@code prevResult} is required.
     */
    public static void check(StaticIpamConfig config, JsonObject conf, String ifname) {
        JsonValue prev = conf.get("prevResult").orElse(null);
        if (prev == null || prev instanceof JsonValue.JsonNull) {
            throw invalid("required prevResult missing");
        }
        Result prevResult = Result.fromJson(prev, "prevResult", config.cniVersion());
        for (Address want : config.addresses()) {
            IpConfig match = prevResult.ips().stream()
                    .filter(a -> a.address().address().equals(want.address().address()))
                    .findFirst().orElse(null);
            if (match == null) {
                throw invalid("static: address " + want.address() + " on interface \"" + ifname
                        + "\" is missing from prevResult");
            }
            if (match.address().prefixLength() != want.address().prefixLength()) {
                throw invalid("static: address " + want.address() + " on interface \"" + ifname
                        + "\" has prefix length " + match.address().prefixLength() + " in prevResult");
            }
            if (want.gateway().isPresent() && !want.gateway().get().equals(match.gateway())) {
                throw invalid("static: gateway of " + want.address() + " on interface \"" + ifname + "\" is "
                        + (match.gateway() == null ? "absent" : IpPrefix.format(match.gateway()))
                        + " in prevResult, expected " + IpPrefix.format(want.gateway().get()));
            }
        }
    }

    // ---- CNI_ARGS ----

    static Map<String, String> parseCniArgs(String cniArgs) {
        return CniArgs.parse(cniArgs, Set.of("IP", "GATEWAY"));
    }

    private static CniException invalid(String message) {
        return new CniException(CODE_INVALID_CONFIG, message);
    }
}
