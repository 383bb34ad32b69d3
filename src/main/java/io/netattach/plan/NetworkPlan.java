package io.netattach.plan;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's secondary interfaces and routing table as the bundled plugins leave them, with the
 * findings about its networks (between them, and against the cluster) and notes on what could not
 * be predicted.
 *
 * @param interfaces secondary interfaces in attachment order
 * @param routes     the main and other tables' routes through the secondary interfaces, in the
 *                   order {@code ip route} lists them
 * @param findings   conflicts, each with a JSON pointer into the pod
 * @param notes      what the plan could not predict, one line each
 */
public record NetworkPlan(List<PlannedInterface> interfaces, List<PlannedRoute> routes, List<Finding> findings,
                          List<String> notes) {

    public NetworkPlan {
        interfaces = List.copyOf(interfaces);
        routes = routes.stream().filter(r -> r.origin() != PlannedRoute.Origin.CLUSTER_DEFAULT)
                .sorted(KERNEL_ORDER).toList();
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
    }

    /** The kernel's dump order: family, table, destination address, longer prefix first, metric. */
    static final Comparator<PlannedRoute> KERNEL_ORDER = Comparator
            .comparing((PlannedRoute r) -> r.isIpv4() ? 0 : 1)
            .thenComparing(PlannedRoute::table)
            .thenComparing((PlannedRoute r) -> r.dst().address(), IpPrefix::compare)
            .thenComparing(r -> -r.dst().prefixLength())
            .thenComparing(PlannedRoute::effectiveMetric);

    /** The interface named {@code name}. */
    public java.util.Optional<PlannedInterface> find(String name) {
        return interfaces.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public long errors() {
        return findings.stream().filter(Finding::isError).count();
    }

    /** {@code ip addr} form of the secondary interfaces (what the kernel is asked to hold; index numbers omitted). */
    public String ipAddr() {
        StringBuilder sb = new StringBuilder();
        for (PlannedInterface i : interfaces) {
            sb.append(i.name()).append("@").append(i.master().isEmpty() ? "(default route interface)"
                    : i.master() + i.vlan().map(v -> "." + v).orElse(""));
            sb.append(": <BROADCAST,MULTICAST,UP,LOWER_UP>");
            if (i.mtu() > 0) {
                sb.append(" mtu ").append(i.mtu());
            }
            sb.append("\n    link/ether ").append(i.mac().orElse("(random)")).append("\n");
            for (IpPrefix a : i.addresses()) {
                sb.append("    ").append(a.isIpv4() ? "inet " : "inet6 ").append(a);
                a.broadcast().ifPresent(b -> sb.append(" brd ").append(IpPrefix.format(b)));
                sb.append(" scope global ").append(a.isIpv4() ? i.name() : "").append("\n");
            }
            if (!i.predictable()) {
                sb.append("    (").append(i.addressing()).append(" IPAM: address chosen at ADD")
                        .append(i.subnets().isEmpty() ? "" : " in " + String.join(", ", i.subnets().stream().map(IpPrefix::toString).toList()))
                        .append(")\n");
            }
        }
        return sb.toString().replace("scope global \n", "scope global\n");
    }

    /** {@code ip route} form (IPv4, then IPv6 as {@code ip -6 route} prints it; other tables after main). */
    public String ipRoute() {
        StringBuilder sb = new StringBuilder();
        for (PlannedRoute r : routes) {
            sb.append(r.ipRouteLine());
            if (r.origin() == PlannedRoute.Origin.CONNECTED && r.src() == null && r.isIpv4()) {
                sb.append("   # address chosen at ADD");
            }
            sb.append("\n");
        }
        return sb.toString();
    }

    /** The plan as JSON for tools. */
    public JsonObject toJson() {
        List<JsonValue> ifs = new ArrayList<>();
        for (PlannedInterface i : interfaces) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("name", new JsonString(i.name()));
            m.put("element", JsonNumber.of(i.element()));
            m.put("network", new JsonString(i.network()));
            m.put("type", new JsonString(i.type()));
            if (!i.master().isEmpty()) {
                m.put("master", new JsonString(i.master()));
            }
            i.vlan().ifPresent(v -> m.put("vlan", JsonNumber.of(v)));
            i.mac().ifPresent(v -> m.put("mac", new JsonString(v)));
            if (i.mtu() > 0) {
                m.put("mtu", JsonNumber.of(i.mtu()));
            }
            m.put("addressing", new JsonString(i.addressing()));
            m.put("addresses", strings(i.addresses().stream().map(IpPrefix::toString).toList()));
            if (!i.subnets().isEmpty()) {
                m.put("subnets", strings(i.subnets().stream().map(IpPrefix::toString).toList()));
            }
            ifs.add(new JsonObject(m));
        }
        List<JsonValue> rs = new ArrayList<>();
        for (PlannedRoute r : routes) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("dst", new JsonString(r.dst().toString()));
            if (r.gateway() != null) {
                m.put("gw", new JsonString(IpPrefix.format(r.gateway())));
            }
            m.put("dev", new JsonString(r.dev()));
            m.put("metric", JsonNumber.of(r.effectiveMetric()));
            m.put("table", JsonNumber.of(Integer.toUnsignedLong(r.table())));
            m.put("origin", new JsonString(r.origin().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
            if (r.src() != null) {
                m.put("src", new JsonString(IpPrefix.format(r.src())));
            }
            m.put("network", new JsonString(r.network()));
            if (!r.source().isEmpty()) {
                m.put("source", new JsonString(r.source()));
            }
            rs.add(new JsonObject(m));
        }
        List<JsonValue> fs = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("severity", new JsonString(f.severity().name()));
            m.put("path", new JsonString(f.path()));
            m.put("message", new JsonString(f.message()));
            fs.add(new JsonObject(m));
        }
        Map<String, JsonValue> out = new LinkedHashMap<>();
        out.put("interfaces", new JsonArray(ifs));
        out.put("routes", new JsonArray(rs));
        out.put("findings", new JsonArray(fs));
        out.put("notes", strings(notes));
        return new JsonObject(out);
    }

    private static JsonArray strings(List<String> values) {
        return new JsonArray(values.stream().map(v -> (JsonValue) new JsonString(v)).toList());
    }

    @Override
    public String toString() {
        return Json.writePretty(toJson());
    }
}
