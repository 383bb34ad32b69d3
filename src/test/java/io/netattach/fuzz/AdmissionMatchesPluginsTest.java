package io.netattach.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Finding;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.validation.NadValidator;
import io.netattach.validation.ValidationOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The webhook admits exactly what the bundled plugins load: over the whole NAD corpus and the fuzz
 * generators, (1) a config admitted without an ERROR finding loads in the config loader of every bundled
 * plugin of its chain ({@code macvlan} with its {@code static} IPAM, {@code route-override}), and
 * (2) a config a loader refuses has an ERROR finding at admission, under that plugin's path or at the
 * config's own top-level fields, and (3) the validator is not stricter than a loader that loads: an ERROR
 * under such a plugin's path is about the context (its place in the chain, its IPAM's kind, an IPAM that
 * configures no address), never about a field the loader accepted.
 */
class AdmissionMatchesPluginsTest {

    private static final String CONFIG = "/spec/config";
    private static final List<NadValidator> VALIDATORS = List.of(new NadValidator(),
            new NadValidator(new ValidationOptions(true, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES)));

    /** Checks the property on one config tree; configs that are not JSON objects have no plugin to load. */
    static void check(JsonValue tree) {
        if (!(tree instanceof JsonObject config)) {
            return;
        }
        Map<String, String> refusals = BundledLoaders.refusals(config, CONFIG);
        List<String> loading = BundledLoaders.loading(config, CONFIG);
        ObjectNode nad = Seeds.JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", "net").put("namespace", "default");
        nad.putObject("spec").put("config", Json.write(config));
        for (NadValidator validator : VALIDATORS) {
            List<Finding> errors = validator.validate(nad).stream().filter(Finding::isError).toList();
            if (errors.isEmpty() && !refusals.isEmpty()) {
                fail("admitted without error, but the plugin refuses it: " + refusals + "\nconfig: " + Json.write(config));
            }
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                String plugin = refusal.getKey();
                boolean covered = errors.stream().anyMatch(f -> f.path().equals(plugin) || f.path().startsWith(plugin + "/")
                        || (f.path().startsWith(CONFIG) && !f.path().startsWith(CONFIG + "/plugins/")));
                assertTrue(covered, "the plugin at " + plugin + " refuses (" + refusal.getValue()
                        + ") but admission has no ERROR for it: " + errors + "\nconfig: " + Json.write(config));
            }
            for (String plugin : loading) {
                for (Finding f : errors) {
                    if (f.path().startsWith(plugin + "/") && !isContext(f.path().substring(plugin.length()), staticIpam(config, plugin))) {
                        fail("the plugin at " + plugin + " loads, but admission refuses a field it accepted: " + f
                                + "\nconfig: " + Json.write(config));
                    }
                }
            }
        }
    }

    /**
     * Errors about a plugin that loads which are about its context, not its fields: its type (place in the
     * chain, upstream version limits), capabilities, an IPAM section of another type than static (checked by
     * that IPAM's rules) or one that yields no address, the chain-wide duplicate-address check, and for a
     * single-plugin config the network-level fields it shares with its plugin.
     */
    private static boolean isContext(String relative, boolean staticIpam) {
        return relative.equals("/type") || relative.startsWith("/capabilities") || relative.equals("/ipam/type")
                || relative.equals("/ipam/addresses") || relative.matches("/ipam/addresses/\\d+/address")
                || (!staticIpam && (relative.equals("/ipam") || relative.startsWith("/ipam/")))
                || relative.matches("/(plugins|cniVersion|cniVersions|name|disableCheck|disableGC|loadOnlyInlinedPlugins)(/.*)?");
    }

    /** Whether the plugin at {@code pointer} (a JSON Pointer into the NAD) has a static IPAM section. */
    private static boolean staticIpam(JsonObject config, String pointer) {
        JsonValue plugin = config;
        String rest = pointer.substring(CONFIG.length());
        if (rest.startsWith("/plugins/")) {
            int index = Integer.parseInt(rest.substring("/plugins/".length()));
            plugin = config.get("plugins").map(p -> ((io.netattach.cni.JsonValue.JsonArray) p).elements().get(index)).orElse(null);
        }
        return plugin instanceof JsonObject o && o.get("ipam").orElse(null) instanceof JsonObject ipam
                && ipam.get("type").orElse(null) instanceof io.netattach.cni.JsonValue.JsonString t && t.value().equals("static");
    }

    @Test
    void everyCorpusConfig() {
        List<String> failures = new ArrayList<>();
        for (JsonValue tree : Seeds.CONFIG_TREES) {
            try {
                check(tree);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " corpus configs break the property:\n" + String.join("\n\n", failures));
    }

    @Test
    void bundledPluginFieldsSetToEdgeValues() {
        Fuzz.forAll("admission-matches-plugins.field-edits", 3000, r -> Gen.pluginFieldEdit(r, Gen.pick(r, Seeds.CONFIG_TREES)),
                AdmissionMatchesPluginsTest::check);
    }

    @Test
    void mutatedConfigTrees() {
        Fuzz.forAll("admission-matches-plugins.mutated", 2000, r -> Gen.mutate(r, Gen.pick(r, Seeds.CONFIG_TREES)),
                AdmissionMatchesPluginsTest::check);
    }
}
