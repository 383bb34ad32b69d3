package io.netattach.validation;
import io.netattach.cni.Findings;

/**
 * The rules of one plugin type, applied after the generic checks every plugin gets (type, reserved
 * keys, capabilities, ipam, dns). One implementation per plugin type with specific rules.
 */
sealed interface PluginRules permits MacvlanRules, RouteOverrideRules, PluginRules.GenericOnly {

    void check(PluginContext plugin, Findings out);

    static PluginRules forType(String type) {
        return switch (type) {
            case "macvlan" -> new MacvlanRules();
            case "route-override" -> new RouteOverrideRules();
            default -> new GenericOnly();
        };
    }

    /** Types without specific rules: only the generic checks apply. */
    record GenericOnly() implements PluginRules {
        @Override
        public void check(PluginContext plugin, Findings out) {
        }
    }
}
