package io.netattach.testing;

import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The observable network state of a namespace, normalised for comparison between runs and plugin
 * implementations: links (name, kind, macvlan mode, MTU, UP), addresses (without IPv6 link-local
 * ones and DAD flags) and routes of every table except {@code local} (without the kernel's fe80::/64).
 * MACs, indexes and namespace ids are left out on purpose.
 */
public record PodState(List<String> links, List<String> addresses, List<String> routes) {

    public static PodState capture(Netns ns) {
        List<String> links = new ArrayList<>();
        for (JsonValue v : array(ns.ip("-j", "-d", "link", "show"))) {
            JsonObject l = (JsonObject) v;
            String name = str(l, "ifname");
            if (name.equals("lo")) {
                continue;
            }
            String kind = "";
            String mode = "";
            if (l.get("linkinfo").orElse(null) instanceof JsonObject li) {
                kind = str(li, "info_kind");
                if (li.get("info_data").orElse(null) instanceof JsonObject data) {
                    mode = str(data, "mode");
                    if (data.get("id").orElse(null) instanceof JsonValue.JsonNumber id) {
                        mode = "id " + id.text();
                    }
                }
            }
            boolean up = l.get("flags").orElse(null) instanceof JsonArray flags
                    && flags.elements().contains(new JsonValue.JsonString("UP"));
            links.add(name + " " + kind + (mode.isEmpty() ? "" : " " + mode) + " mtu " + num(l, "mtu")
                    + (up ? " UP" : " DOWN"));
        }
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonValue v : array(ns.ip("-j", "addr", "show"))) {
            JsonObject l = (JsonObject) v;
            String name = str(l, "ifname");
            if (name.equals("lo") || !(l.get("addr_info").orElse(null) instanceof JsonArray infos)) {
                continue;
            }
            for (JsonValue iv : infos.elements()) {
                JsonObject a = (JsonObject) iv;
                if (str(a, "scope").equals("link") && str(a, "family").equals("inet6")) {
                    continue;
                }
                addresses.add(name + " " + str(a, "local") + "/" + num(a, "prefixlen"));
            }
        }
        TreeSet<String> routes = new TreeSet<>();
        for (String family : List.of("-4", "-6")) {
            for (JsonValue v : array(ns.ip("-j", family, "route", "show", "table", "all"))) {
                JsonObject r = (JsonObject) v;
                String table = str(r, "table");
                String dst = str(r, "dst");
                if (table.equals("local") || dst.startsWith("fe80::") || str(r, "dev").equals("lo")) {
                    continue;
                }
                StringBuilder sb = new StringBuilder(dst);
                if (!str(r, "gateway").isEmpty()) {
                    sb.append(" via ").append(str(r, "gateway"));
                }
                sb.append(" dev ").append(str(r, "dev"));
                if (!table.isEmpty() && !table.equals("main")) {
                    sb.append(" table ").append(table);
                }
                if (!str(r, "scope").isEmpty()) {
                    sb.append(" scope ").append(str(r, "scope"));
                }
                if (!num(r, "metric").isEmpty() && !num(r, "metric").equals("256") && !num(r, "metric").equals("1024")) {
                    sb.append(" metric ").append(num(r, "metric"));
                }
                routes.add(sb.toString());
            }
        }
        return new PodState(List.copyOf(links), List.copyOf(addresses), List.copyOf(routes));
    }

    /** Whether the namespace holds nothing but {@code lo}. */
    public boolean isEmpty() {
        return links.isEmpty() && addresses.isEmpty() && routes.isEmpty();
    }

    private static List<JsonValue> array(String json) {
        String t = json.strip();
        if (t.isEmpty()) {
            return List.of();
        }
        return ((JsonArray) Json.parse(t)).elements();
    }

    private static String str(JsonObject o, String key) {
        return o.get(key).orElse(null) instanceof JsonValue.JsonString s ? s.value() : "";
    }

    private static String num(JsonObject o, String key) {
        return o.get(key).orElse(null) instanceof JsonValue.JsonNumber n ? n.text() : "";
    }
}
