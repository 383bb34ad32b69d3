package io.netattach.validation;

import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

/** Shape of a CNI {@code dns} object: nameservers (IP strings), domain, search and options (strings). */
final class Dns {

    private Dns() {
    }

    static void check(JsonObject parent, String path, Findings out) {
        Fields.object(parent, "dns", path, out).ifPresent(dns -> {
            String p = Text.at(path, "dns");
            Fields.array(dns, "nameservers", p, out).ifPresent(a -> strings(a, "nameservers", Text.at(p, "nameservers"), true, out));
            Fields.string(dns, "domain", p, out);
            Fields.array(dns, "search", p, out).ifPresent(a -> strings(a, "search", Text.at(p, "search"), false, out));
            Fields.array(dns, "options", p, out).ifPresent(a -> strings(a, "options", Text.at(p, "options"), false, out));
        });
    }

    private static void strings(JsonArray array, String name, String path, boolean ips, Findings out) {
        for (int i = 0; i < array.elements().size(); i++) {
            JsonValue v = array.elements().get(i);
            if (!(v instanceof JsonString s)) {
                out.error(Text.at(path, i), name + " entries must be strings, got " + Text.showTyped(v));
            } else if (ips && IpPrefix.parseAddress(s.value()).isEmpty()) {
                out.error(Text.at(path, i), "nameserver " + Text.quote(s.value()) + " is not an IP address");
            }
        }
    }
}
