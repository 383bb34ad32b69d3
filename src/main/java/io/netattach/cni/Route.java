package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A route of a CNI result or config ({@code types.Route}): {@code dst}, optional {@code gw}, and the
 * 1.1.0 fields {@code mtu}, {@code advmss}, {@code priority}, {@code table}, {@code scope}
 * (null when absent).
 */
public record Route(IpPrefix dst, InetAddress gw, Integer mtu, Integer advmss, Integer priority,
                    Integer table, Integer scope) {

    /** Scope values of the spec (same numbers as the kernel's RT_SCOPE_*). */
    public static final int SCOPE_UNIVERSE = 0;
    public static final int SCOPE_LINK = 253;
    public static final int SCOPE_HOST = 254;

    public Route {
        if (dst == null) {
            throw new IllegalArgumentException("dst is required");
        }
        if (gw != null && IpPrefix.bits(gw) != IpPrefix.bits(dst.address())) {
            throw new IllegalArgumentException("gw " + IpPrefix.format(gw) + " is not of the family of dst " + dst);
        }
    }

    public static Route of(IpPrefix dst, InetAddress gw) {
        return new Route(dst, gw, null, null, null, null, null);
    }

    public boolean isIpv4() {
        return dst.isIpv4();
    }

    /** Whether the destination is a default route (0.0.0.0/0 or ::/0). */
    public boolean isDefault() {
        return dst.prefixLength() == 0;
    }

    public Route withGw(InetAddress newGw) {
        return new Route(dst, newGw, mtu, advmss, priority, table, scope);
    }

    /** Reads a route object; {@code path} names it in messages ({@code prevResult.routes[0]}). */
    public static Route fromJson(JsonObject o, String path) {
        IpPrefix dst = Fields.cidr(o, path, "dst")
                .orElseThrow(() -> CniException.config("field \"" + Fields.path(path, "dst") + "\" is required"));
        InetAddress gw = Fields.ip(o, path, "gw").orElse(null);
        if (gw != null && IpPrefix.bits(gw) != IpPrefix.bits(dst.address())) {
            throw CniException.config("field \"" + Fields.path(path, "gw") + "\": gateway \""
                    + IpPrefix.format(gw) + "\" is not of the address family of dst \"" + dst + "\"");
        }
        Integer mtu = Fields.int32(o, path, "mtu", 0, Integer.MAX_VALUE).orElse(null);
        Integer advmss = Fields.int32(o, path, "advmss", 0, Integer.MAX_VALUE).orElse(null);
        Integer priority = Fields.int32(o, path, "priority", 0, 0xffffffffL).orElse(null);
        Integer table = Fields.int32(o, path, "table", 0, 0xffffffffL).orElse(null);
        Integer scope = Fields.int32(o, path, "scope", 0, 255).orElse(null);
        return new Route(dst, gw, mtu, advmss, priority, table, scope);
    }

    public JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("dst", new JsonString(dst.toString()));
        if (gw != null) {
            m.put("gw", new JsonString(IpPrefix.format(gw)));
        }
        putInt(m, "mtu", mtu);
        putInt(m, "advmss", advmss);
        if (priority != null) {
            m.put("priority", JsonNumber.of(Integer.toUnsignedLong(priority)));
        }
        if (table != null) {
            m.put("table", JsonNumber.of(Integer.toUnsignedLong(table)));
        }
        putInt(m, "scope", scope);
        return new JsonObject(m);
    }

    static void putInt(Map<String, JsonValue> m, String key, Integer value) {
        if (value != null) {
            m.put(key, JsonNumber.of(value));
        }
    }

    @Override
    public String toString() {
        return dst + (gw == null ? "" : " via " + IpPrefix.format(gw));
    }
}
