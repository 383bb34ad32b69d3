package io.netattach.cni.conf;

import io.netattach.cni.Findings;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.Route;
import io.netattach.cni.Severity;
import io.netattach.cni.Text;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * route-override settings: {@code flushroutes}, {@code flushgateway}, {@code delroutes},
 * {@code addroutes}, {@code skipcheck}, each overridable by the same key under {@code args.cni}.
 * {@code addroutes} entries take {@code dst}, optional {@code gw}, and as extensions
 * {@code metric} (alias {@code priority}), {@code table}, {@code mtu}, {@code advmss}, {@code scope}.
 * {@code delroutes} entries take {@code dst} and optional {@code gw}.
 */
public record RouteOverrideConfig(boolean flushRoutes, boolean flushGateway, List<Route> delRoutes,
                                  List<Route> addRoutes, boolean skipCheck) {

    public static final Set<String> FIELDS = Set.of("flushroutes", "flushgateway", "delroutes", "addroutes", "skipcheck");

    public RouteOverrideConfig {
        delRoutes = List.copyOf(delRoutes);
        addRoutes = List.copyOf(addRoutes);
    }

    /** Loads the plugin object {@code conf} as the plugin gets it; findings have paths relative to it. */
    public static Loaded<RouteOverrideConfig> load(JsonObject conf) {
        Findings out = new Findings();
        StandardFields.check(conf, out);
        io.netattach.cni.Fields.object(conf, "ipam", "", out);
        io.netattach.cni.Fields.object(conf, "runtimeConfig", "", out);
        JsonObject argsCni = conf.get("args").filter(a -> a instanceof JsonObject).map(a -> (JsonObject) a)
                .flatMap(a -> a.get("cni")).filter(c -> c instanceof JsonObject).map(c -> (JsonObject) c)
                .orElse(JsonObject.empty());
        // Both levels are read (each problem is reported); the args.cni value wins where it is set.
        Level top = new Level(conf, "");
        Level args = new Level(argsCni, "/args/cni");
        boolean flushRoutes = pick(args.bool("flushroutes", out), top.bool("flushroutes", out));
        boolean flushGateway = pick(args.bool("flushgateway", out), top.bool("flushgateway", out));
        boolean skipCheck = pick(args.bool("skipcheck", out), top.bool("skipcheck", out));
        Optional<List<Route>> delTop = top.routes("delroutes", Routes.Use.DEL, out);
        Optional<List<Route>> delArgs = args.routes("delroutes", Routes.Use.DEL, out);
        Optional<List<Route>> addTop = top.routes("addroutes", Routes.Use.ADD, out);
        Optional<List<Route>> addArgs = args.routes("addroutes", Routes.Use.ADD, out);
        return Loaded.of(new RouteOverrideConfig(flushRoutes, flushGateway, delArgs.or(() -> delTop).orElse(List.of()),
                addArgs.or(() -> addTop).orElse(List.of()), skipCheck), out.list());
    }

    private static boolean pick(Optional<Boolean> args, Optional<Boolean> top) {
        return args.or(() -> top).orElse(false);
    }

    /** The route-override fields of one level (the plugin object or {@code args.cni}). */
    private record Level(JsonObject o, String path) {

        Optional<Boolean> bool(String key, Findings out) {
            return io.netattach.cni.Fields.bool(o, key, path, out, Severity.ERROR, "");
        }

        Optional<List<Route>> routes(String key, Routes.Use use, Findings out) {
            return io.netattach.cni.Fields.array(o, key, path, out).map(a -> Routes.readAll(a, Text.at(path, key), use, out));
        }
    }
}
