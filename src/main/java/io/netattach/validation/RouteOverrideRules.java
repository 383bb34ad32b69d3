package io.netattach.validation;

import io.netattach.cni.Severity;

import io.netattach.cni.CniVersion;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * route-override (chained): {@code flushroutes}, {@code flushgateway}, {@code skipcheck} (real booleans),
 * {@code addroutes}/{@code delroutes} ({@code [{dst, gw?}]}), and the same fields under {@code args.cni}.
 * Added routes are checked against the subnets the earlier plugins' IPAM configures.
 */
record RouteOverrideRules() implements PluginRules {

    /** Route fields netattach's route-override honours and the upstream one parses but ignores. */
    static final List<String> UPSTREAM_IGNORED = List.of("metric", "priority", "table", "mtu", "advmss", "scope");
    static final Set<String> FIELDS = Set.of("flushroutes", "flushgateway", "delroutes", "addroutes", "skipcheck");
    private static final Set<String> OTHER_KNOWN = Set.of("type", "name", "cniVersion", "cniVersions", "capabilities",
            "args", "runtimeConfig", "prevResult", "ipam", "dns", "disableCheck", "disableGC", "loadOnlyInlinedPlugins");

    @Override
    public void check(PluginContext ctx, Findings out) {
        JsonObject o = ctx.plugin();
        String p = ctx.path();
        for (String key : o.members().keySet()) {
            if (!FIELDS.contains(key) && !OTHER_KNOWN.contains(key) && !key.startsWith("cni.dev/")) {
                out.warning(Text.at(p, key), "key " + Text.quote(key)
                        + " is not a route-override field and is ignored (fields: flushroutes, flushgateway, delroutes, addroutes, skipcheck)");
            }
        }
        fields(o, p, ctx, out);
        Fields.object(o, "args", p, out)
                .flatMap(args -> Fields.object(args, "cni", Text.at(p, "args"), out))
                .ifPresent(cni -> fields(cni, Text.at(Text.at(p, "args"), "cni"), ctx, out));
        if (ctx.network().options().upstreamPlugins() && ctx.network().version().map(v -> v.atLeast(CniVersion.V1_1_0)).orElse(false)) {
            out.error(Text.at(p, "type"), "the upstream route-override supports cniVersion up to 1.0.0: with "
                    + Text.quote(ctx.network().version().get().text()) + " ADD fails with \"incompatible CNI versions\"");
        }
    }

    private static void fields(JsonObject o, String p, PluginContext ctx, Findings out) {
        String consequence = " (route-override fails to parse the config otherwise)";
        Fields.bool(o, "flushroutes", p, out, Severity.ERROR, consequence);
        Fields.bool(o, "flushgateway", p, out, Severity.ERROR, consequence);
        Fields.bool(o, "skipcheck", p, out, Severity.ERROR, consequence);
        Fields.array(o, "delroutes", p, out).ifPresent(a -> Route.readAll(a, Text.at(p, "delroutes"), out));
        Fields.array(o, "addroutes", p, out).ifPresent(a -> {
            List<Addressing.Located<IpPrefix>> subnets = new ArrayList<>();
            boolean complete = ctx.index() > 0; // first in the chain is already an error: nothing to check against
            for (Addressing addressing : ctx.before()) {
                subnets.addAll(addressing.subnets());
                complete &= addressing.known();
            }
            String ap = Text.at(p, "addroutes");
            for (int i = 0; i < a.elements().size(); i++) {
                JsonValue element = a.elements().get(i);
                String rp = Text.at(ap, i);
                Optional<Route> read = Route.read(element, rp, out);
                if (element instanceof JsonObject route && ctx.network().options().upstreamPlugins()) {
                    for (String key : UPSTREAM_IGNORED) {
                        if (route.has(key)) {
                            out.warning(Text.at(rp, key), key
                                    + " is ignored by the upstream route-override (it adds dst via gw only; netattach's honours it)");
                        }
                    }
                }
                if (read.isEmpty()) {
                    continue;
                }
                Route r = read.get();
                if (element instanceof JsonObject route && !route.has("gw")) {
                    out.warning(rp, "route to " + r.dst() + " has no gw: it is added as a device route on the interface"
                            + " (route-override does not fall back to the IPAM gateway)");
                }
                Route.crossCheck(r, subnets, complete, out);
            }
        });
    }
}
