package io.netattach.validation;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Findings;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.Text;
import io.netattach.cni.conf.RouteOverrideConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * route-override (chained): whether the plugin loads the config is its own loader's to say
 * ({@link RouteOverrideConfig}: the booleans, {@code addroutes}/{@code delroutes}, the same under
 * {@code args.cni}). Here only the context: unknown keys, fields the upstream plugin ignores, routes without
 * gw, added routes checked against the subnets the earlier plugins' IPAM configures, and the upstream
 * plugin's version limit.
 */
record RouteOverrideRules() implements PluginRules {

    /** Route fields netattach's route-override honours and the upstream one parses but ignores. */
    static final List<String> UPSTREAM_IGNORED = List.of("metric", "priority", "table", "mtu", "advmss", "scope");
    private static final Set<String> OTHER_KNOWN = Set.of("type", "name", "cniVersion", "cniVersions", "capabilities",
            "args", "runtimeConfig", "prevResult", "ipam", "dns", "disableCheck", "disableGC", "loadOnlyInlinedPlugins");

    @Override
    public void check(PluginContext ctx, Findings out) {
        JsonObject o = ctx.plugin();
        String p = ctx.path();
        for (String key : o.members().keySet()) {
            if (!RouteOverrideConfig.FIELDS.contains(key) && !OTHER_KNOWN.contains(key) && !key.startsWith("cni.dev/")) {
                out.warning(Text.at(p, key), "key " + Text.quote(key)
                        + " is not a route-override field and is ignored (fields: flushroutes, flushgateway, delroutes, addroutes, skipcheck)");
            }
        }
        LoaderFindings.report(p, RouteOverrideConfig.load(o).findings(), out);
        addroutes(o, p, ctx, out);
        if (o.get("args").orElse(null) instanceof JsonObject args && args.get("cni").orElse(null) instanceof JsonObject cni) {
            addroutes(cni, Text.at(Text.at(p, "args"), "cni"), ctx, out);
        }
        if (ctx.network().options().upstreamPlugins() && ctx.network().version().map(v -> v.atLeast(CniVersion.V1_1_0)).orElse(false)) {
            out.error(Text.at(p, "type"), "the upstream route-override supports cniVersion up to 1.0.0: with "
                    + Text.quote(ctx.network().version().get().text()) + " ADD fails with \"incompatible CNI versions\"");
        }
    }

    private static void addroutes(JsonObject o, String p, PluginContext ctx, Findings out) {
        if (!(o.get("addroutes").orElse(null) instanceof JsonArray a)) {
            return;
        }
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
            if (element instanceof JsonObject route && ctx.network().options().upstreamPlugins()) {
                for (String key : UPSTREAM_IGNORED) {
                    if (route.has(key)) {
                        out.warning(Text.at(rp, key), key
                                + " is ignored by the upstream route-override (it adds dst via gw only; netattach's honours it)");
                    }
                }
            }
            Optional<Route> read = Route.read(element, rp, new Findings()); // the loader reported its problems
            if (read.isEmpty()) {
                continue;
            }
            Route r = read.get();
            if (element instanceof JsonObject route && route.get("gw").filter(g -> g != JsonValue.JsonNull.INSTANCE).isEmpty()) {
                out.warning(rp, "route to " + r.dst() + " has no gw: it is added as a device route on the interface"
                        + " (route-override does not fall back to the IPAM gateway)");
            }
            Route.crossCheck(r, subnets, complete, out);
        }
    }
}
