package io.netattach.plugin.routeoverride;

import io.netattach.cni.CniException;
import io.netattach.cni.Fields;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetConf;
import io.netattach.cni.Route;

import java.util.List;
import java.util.Optional;

/**
 * route-override settings: {@code flushroutes}, {@code flushgateway}, {@code delroutes},
 * {@code addroutes}, {@code skipcheck}, each overridable by the same key under {@code args.cni}.
 * {@code addroutes} entries take {@code dst}, optional {@code gw}, and as extensions
 * {@code metric} (alias {@code priority}), {@code table}, {@code mtu}, {@code advmss}, {@code scope}.
 * {@code delroutes} entries take {@code dst} and optional {@code gw}.
 */
public record RouteOverrideConfig(boolean flushRoutes, boolean flushGateway, List<Route> delRoutes,
                                  List<Route> addRoutes, boolean skipCheck) {

    public static RouteOverrideConfig from(NetConf conf) {
        JsonObject top = conf.raw();
        JsonObject argsCni = conf.argsCni();
        return new RouteOverrideConfig(
                bool(top, argsCni, "flushroutes"),
                bool(top, argsCni, "flushgateway"),
                routes(top, argsCni, "delroutes", false),
                routes(top, argsCni, "addroutes", true),
                bool(top, argsCni, "skipcheck"));
    }

    private static boolean bool(JsonObject top, JsonObject argsCni, String key) {
        if (argsCni.has(key)) {
            return Fields.bool(argsCni, "args.cni", key);
        }
        return Fields.bool(top, "", key);
    }

    private static List<Route> routes(JsonObject top, JsonObject argsCni, String key, boolean add) {
        boolean fromArgs = argsCni.has(key);
        JsonObject source = fromArgs ? argsCni : top;
        String parent = fromArgs ? "args.cni" : "";
        return Fields.objects(source, parent, key, (o, path) -> add ? addRoute(o, path) : delRoute(o, path));
    }

    private static Route delRoute(JsonObject o, String path) {
        Route r = Route.fromJson(o, path);
        return Route.of(r.dst().network(), r.gw());
    }

    private static Route addRoute(JsonObject o, String path) {
        Route r = Route.fromJson(o, path);
        Optional<Integer> metric = Fields.int32(o, path, "metric", 0, 0xffffffffL);
        Integer priority = r.priority();
        if (metric.isPresent() && priority != null && !metric.get().equals(priority)) {
            throw CniException.config("field \"" + path + "\": \"metric\" " + Integer.toUnsignedString(metric.get())
                    + " and \"priority\" " + Integer.toUnsignedString(priority) + " differ (they are the same setting)");
        }
        if (priority == null) {
            priority = metric.orElse(null);
        }
        if (r.table() != null && (r.table() == 0 || r.table() == 255 || r.table() == 253)) {
            throw CniException.config("field \"" + Fields.path(path, "table") + "\": table " + r.table()
                    + " is reserved (0 unspec, 253 default, 255 local)");
        }
        IpPrefix dst = r.dst().network();
        return new Route(dst, r.gw(), r.mtu(), r.advmss(), priority, r.table(), r.scope());
    }
}
