package io.netattach.cni.conf;

import io.netattach.cni.Dns;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code dns} object of a config: nameservers (IP strings), domain, search and options (strings). */
public final class DnsConf {

    private DnsConf() {
    }

    /** The {@code dns} member of {@code parent} (at {@code path}); {@link Dns#EMPTY} when absent. */
    public static Dns read(JsonObject parent, String path, Findings out) {
        Optional<JsonObject> dns = Fields.object(parent, "dns", path, out);
        if (dns.isEmpty()) {
            return Dns.EMPTY;
        }
        String p = Text.at(path, "dns");
        JsonObject o = dns.get();
        List<String> nameservers = Fields.array(o, "nameservers", p, out)
                .map(a -> strings(a, "nameservers", Text.at(p, "nameservers"), true, out)).orElse(List.of());
        String domain = Fields.string(o, "domain", p, out).orElse("");
        List<String> search = Fields.array(o, "search", p, out).map(a -> strings(a, "search", Text.at(p, "search"), false, out)).orElse(List.of());
        List<String> options = Fields.array(o, "options", p, out).map(a -> strings(a, "options", Text.at(p, "options"), false, out)).orElse(List.of());
        return new Dns(nameservers, domain, search, options);
    }

    private static List<String> strings(JsonArray array, String name, String path, boolean ips, Findings out) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < array.elements().size(); i++) {
            JsonValue v = array.elements().get(i);
            if (!(v instanceof JsonString s)) {
                out.error(Text.at(path, i), name + " entries must be strings, got " + Text.showTyped(v));
            } else if (ips && IpPrefix.parseAddress(s.value()).isEmpty()) {
                out.error(Text.at(path, i), "nameserver " + Text.quote(s.value()) + " is not an IP address");
            } else {
                values.add(s.value());
            }
        }
        return values;
    }
}
