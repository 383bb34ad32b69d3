package io.netattach.validation;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.Severity;

import io.netattach.cni.CniVersion;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a CNI network config (a single plugin with {@code type}, or a conflist with
 * {@code plugins}): its top-level fields, the generic checks of every plugin, the per-type rules,
 * the chain rules and the cross-checks between plugins. Pure: config in, findings out.
 */
final class ConfigRules {

    static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final String RESERVED_PREFIX = "cni.dev/";

    /**
     * Most JSON values (objects, arrays, strings, numbers, literals) in one config that the rules
     * check. Real configs have a few dozen; the limit bounds the work of the pairwise cross-checks
     * (addresses against addresses, routes against subnets), which a 1 MiB config of tiny entries
     * would otherwise stretch to minutes on the webhook's event loop.
     */
    static final int MAX_VALUES = 2000;

    private ConfigRules() {
    }

    /**
     * @param config       the parsed config
     * @param base         JSON Pointer of the config ({@code /spec/config} in a NAD, empty for a bare file)
     * @param nadName      the NAD's name, when the config belongs to one (a missing {@code name} is then filled from it)
     */
    static void check(JsonValue config, String base, Optional<String> nadName, ValidationOptions options, Findings out) {
        if (!(config instanceof JsonObject net)) {
            out.error(base, (base.isEmpty() ? "config" : "spec.config") + " must be a JSON object, got " + Text.showTyped(config));
            return;
        }
        if (countValues(config, MAX_VALUES + 1) > MAX_VALUES) {
            out.error(base, (base.isEmpty() ? "config" : "spec.config") + " has more than " + MAX_VALUES
                    + " JSON values: netattach does not check a config this large (a network config has a few dozen)");
            return;
        }
        duplicateKeys(net, base, out);
        boolean single = net.has("type");
        boolean list = net.has("plugins");
        if (single && list) {
            out.error(Text.at(base, "plugins"), "config has both type and plugins: Multus reads it as a single plugin of type "
                    + Text.show(net.members().get("type")) + " and ignores plugins (remove one)");
        } else if (!single && !list) {
            out.error(base, "config has neither type (a single plugin) nor plugins (a chain of plugins)");
        }
        Optional<CniVersion> version = cniVersion(net, base, out);
        cniVersions(net, base, out);
        name(net, base, nadName, out);
        Fields.bool(net, "disableCheck", base, out, Severity.WARNING, " (libcni accepts the string, other runtimes may not)");
        Fields.bool(net, "disableGC", base, out, Severity.WARNING, " (libcni accepts the string, other runtimes may not)");
        Optional<Boolean> inlined = Fields.bool(net, "loadOnlyInlinedPlugins", base, out, Severity.WARNING,
                " (libcni accepts the string, other runtimes may not)");
        if (inlined.orElse(false) && !list) {
            out.error(Text.at(base, "loadOnlyInlinedPlugins"), "loadOnlyInlinedPlugins is true but there is no plugins list");
        }

        List<Located> plugins = new ArrayList<>();
        if (single) {
            plugins.add(new Located(net, base));
        } else if (list) {
            reservedKeys(net, base, out);
            Fields.array(net, "plugins", base, out).ifPresent(array -> {
                String pp = Text.at(base, "plugins");
                if (array.elements().isEmpty()) {
                    out.error(pp, "plugins is empty: a chain needs at least one plugin");
                }
                for (int i = 0; i < array.elements().size(); i++) {
                    JsonValue v = array.elements().get(i);
                    if (v instanceof JsonObject o) {
                        plugins.add(new Located(o, Text.at(pp, i)));
                    } else {
                        out.error(Text.at(pp, i), "plugins entries must be objects with a type, got " + Text.showTyped(v));
                        plugins.add(null);
                    }
                }
            });
        }
        NetworkContext network = new NetworkContext(version, options, plugins.size());
        List<Addressing> addressing = new ArrayList<>();
        List<Optional<String>> types = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            Located plugin = plugins.get(i);
            if (plugin == null) {
                types.add(Optional.empty());
                addressing.add(Addressing.UNKNOWN);
                continue;
            }
            types.add(PluginChecks.check(plugin.object(), plugin.path(), i, network, addressing, out));
        }
        chain(plugins, types, base, single, network, out);
        overlappingAddresses(addressing, out);
    }

    private record Located(JsonObject object, String path) {
    }

    /** The number of values in {@code v} (itself included), counting stops at {@code limit}. */
    static int countValues(JsonValue v, int limit) {
        int n = 1;
        if (v instanceof JsonObject o) {
            for (JsonValue child : o.members().values()) {
                if (n >= limit) {
                    break;
                }
                n += countValues(child, limit - n);
            }
        } else if (v instanceof JsonValue.JsonArray a) {
            for (JsonValue child : a.elements()) {
                if (n >= limit) {
                    break;
                }
                n += countValues(child, limit - n);
            }
        }
        return Math.min(n, limit);
    }

    private static Optional<CniVersion> cniVersion(JsonObject net, String base, Findings out) {
        String p = Text.at(base, "cniVersion");
        if (net.get("cniVersion").filter(v -> v != io.netattach.cni.JsonValue.JsonNull.INSTANCE).isEmpty()) {
            out.warning(p, "cniVersion is missing: " + CniVersion.ASSUMED_WHEN_MISSING
                    + " is assumed (no chaining, no CHECK); set it, e.g. to \"1.0.0\"");
            return Optional.of(CniVersion.ASSUMED_WHEN_MISSING);
        }
        Optional<String> text = Fields.string(net, "cniVersion", base, out);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<CniVersion> version = CniVersion.parse(text.get());
        if (version.isEmpty()) {
            out.error(p, "cniVersion " + Text.quote(text.get()) + " is not one of " + String.join(", ", CniVersion.texts()));
        }
        return version;
    }

    private static void cniVersions(JsonObject net, String base, Findings out) {
        Fields.array(net, "cniVersions", base, out).ifPresent(array -> {
            String p = Text.at(base, "cniVersions");
            for (int i = 0; i < array.elements().size(); i++) {
                JsonValue v = array.elements().get(i);
                if (!(v instanceof JsonString s)) {
                    out.error(Text.at(p, i), "cniVersions entries must be version strings, got " + Text.showTyped(v));
                } else if (!SEMVER.matcher(s.value()).matches()) {
                    out.error(Text.at(p, i), "cniVersions entry " + Text.quote(s.value()) + " is not a semantic version such as \"1.1.0\"");
                }
            }
        });
    }

    private static void name(JsonObject net, String base, Optional<String> nadName, Findings out) {
        String p = Text.at(base, "name");
        if (!net.has("name")) {
            if (nadName.isEmpty()) {
                out.error(p, "name is missing: a network config needs a name (libcni rejects it with \"no name\")");
            }
            return;
        }
        Fields.string(net, "name", base, out).ifPresent(name -> {
            if (!NETWORK_NAME.matcher(name).matches()) {
                out.error(p, "name " + Text.quote(name) + " is not a valid network name: it must start with a letter or digit, "
                        + "then letters, digits, \"_\", \".\" or \"-\"");
            } else if (nadName.isPresent() && !nadName.get().equals(name)) {
                out.warning(p, "name " + Text.quote(name) + " differs from the NAD name " + Text.quote(nadName.get())
                        + ": the plugins see the config's name (host-local, for one, keeps its allocations under it)");
            }
        });
    }

    /** Keys the runtime sets ({@code runtimeConfig}, {@code args}, {@code prevResult}, {@code cni.dev/*}). */
    static void reservedKeys(JsonObject o, String path, Findings out) {
        for (String key : o.members().keySet()) {
            if (key.equals("runtimeConfig") || key.equals("prevResult") || key.startsWith(RESERVED_PREFIX)) {
                out.warning(Text.at(path, key), "key " + Text.quote(key) + " is reserved for the runtime (CNI spec): "
                        + "the runtime sets or overwrites it, so it does not belong in the config");
            } else if (key.equals("args")) {
                out.warning(Text.at(path, key), "key \"args\" is reserved for the runtime (CNI spec): Multus merges the pod's "
                        + "cni-args into it; prefer plugin fields or the pod's cni-args");
            }
        }
    }

    /** Warns about every key that occurs more than once in an object, anywhere in the tree. */
    private static void duplicateKeys(JsonValue value, String path, Findings out) {
        if (value instanceof JsonObject o) {
            for (String key : o.duplicateKeys()) {
                out.warning(Text.at(path, key), "key " + Text.quote(key) + " appears more than once in this object: only the last value is used");
            }
            for (var e : o.members().entrySet()) {
                if (e.getValue() instanceof JsonObject || e.getValue() instanceof JsonArray) {
                    duplicateKeys(e.getValue(), Text.at(path, e.getKey()), out);
                }
            }
        } else if (value instanceof JsonArray a) {
            for (int i = 0; i < a.elements().size(); i++) {
                JsonValue v = a.elements().get(i);
                if (v instanceof JsonObject || v instanceof JsonArray) {
                    duplicateKeys(v, Text.at(path, i), out);
                }
            }
        }
    }

    /** Chain rules: order of plugin kinds, one interface per chain, cniVersion that supports prevResult. */
    private static void chain(List<Located> plugins, List<Optional<String>> types, String base, boolean single,
                              NetworkContext network, Findings out) {
        int firstInterface = -1;
        for (int i = 0; i < plugins.size(); i++) {
            Optional<String> type = types.get(i);
            if (type.isEmpty()) {
                continue;
            }
            String tp = Text.at(plugins.get(i).path(), "type");
            Optional<PluginKind> kind = KnownPlugins.kindOf(type.get());
            if (kind.isEmpty()) {
                continue;
            }
            switch (kind.get()) {
                case CHAINED -> {
                    if (i == 0) {
                        out.error(tp, "type " + Text.quote(type.get()) + " is a chained-only plugin and cannot "
                                + (single || plugins.size() == 1 ? "be used alone" : "be first")
                                + ": it needs the prevResult of an interface-creating plugin such as macvlan before it");
                    }
                }
                case IPAM -> out.error(tp, "type " + Text.quote(type.get()) + " is an IPAM plugin, not a chain plugin: put it in the ipam "
                        + "object of an interface plugin, e.g. \"ipam\": {\"type\": " + Text.quote(type.get()) + ", ...}");
                case INTERFACE -> {
                    if (firstInterface >= 0) {
                        out.error(tp, "type " + Text.quote(type.get()) + " is a second interface-creating plugin in the chain (after "
                                + Text.quote(types.get(firstInterface).orElse("")) + " at " + plugins.get(firstInterface).path()
                                + "): one chain configures one interface");
                    } else {
                        firstInterface = i;
                    }
                }
            }
        }
        if (plugins.size() > 1 && network.olderThan(CniVersion.V0_3_0)) {
            out.error(Text.at(base, "cniVersion"), "a chain of " + plugins.size() + " plugins needs cniVersion 0.3.0 or later "
                    + "(prevResult), the config has " + network.version().map(v -> Text.quote(v.text())).orElse("none")
                    + " which cannot pass results along the chain");
        }
    }

    /** Cross-check: the same address twice, or two addresses whose subnets overlap, anywhere in the NAD. */
    private static void overlappingAddresses(List<Addressing> addressing, Findings out) {
        List<Addressing.Located<IpPrefix>> all = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int k = 0; k < addressing.size(); k++) {
            all.addAll(addressing.get(k).addresses());
            for (int n = 0; n < addressing.get(k).addresses().size(); n++) {
                owner.add(k);
            }
        }
        for (int i = 1; i < all.size(); i++) {
            for (int j = 0; j < i; j++) {
                IpPrefix a = all.get(i).value();
                IpPrefix b = all.get(j).value();
                if (a.address().equals(b.address()) && owner.get(i).equals(owner.get(j))) {
                    break; // the same address twice in one IPAM section: its plugin's loader reports it
                }
                if (a.address().equals(b.address())) {
                    out.error(all.get(i).path(), "address " + Text.quote(a.toString()) + " is configured twice (also at "
                            + all.get(j).path() + "): the second add fails with \"file exists\"");
                    break;
                }
                if (a.overlaps(b)) {
                    out.warning(all.get(i).path(), "address " + Text.quote(a.toString()) + " overlaps " + b + " (at "
                            + all.get(j).path() + "): both subnets get the same connected route");
                    break;
                }
            }
        }
    }
}
