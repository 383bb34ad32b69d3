package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DNS settings of a config or result: nameservers, domain, search, options (all optional). */
public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {

    public static final Dns EMPTY = new Dns(List.of(), "", List.of(), List.of());

    public Dns {
        nameservers = List.copyOf(nameservers == null ? List.of() : nameservers);
        domain = domain == null ? "" : domain;
        search = List.copyOf(search == null ? List.of() : search);
        options = List.copyOf(options == null ? List.of() : options);
    }

    public boolean isEmpty() {
        return nameservers.isEmpty() && domain.isEmpty() && search.isEmpty() && options.isEmpty();
    }

    public static Dns fromJson(JsonObject o, String path) {
        return new Dns(Fields.strings(o, path, "nameservers"), Fields.string(o, path, "domain").orElse(""),
                Fields.strings(o, path, "search"), Fields.strings(o, path, "options"));
    }

    public JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        if (!nameservers.isEmpty()) {
            m.put("nameservers", strings(nameservers));
        }
        if (!domain.isEmpty()) {
            m.put("domain", new JsonString(domain));
        }
        if (!search.isEmpty()) {
            m.put("search", strings(search));
        }
        if (!options.isEmpty()) {
            m.put("options", strings(options));
        }
        return new JsonObject(m);
    }

    private static JsonArray strings(List<String> values) {
        return new JsonArray(values.stream().<JsonValue>map(JsonString::new).toList());
    }
}
