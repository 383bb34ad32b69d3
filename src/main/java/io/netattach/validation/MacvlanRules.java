package io.netattach.validation;

import io.netattach.cni.Severity;

import io.netattach.cni.JsonValue.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * macvlan: {@code master}, {@code mode}, {@code mtu}, {@code vlan} (a netattach extension: the bundled
 * macvlan tags through an 802.1Q sub-interface of master; the upstream plugin silently ignores it),
 * {@code linkInContainer}, {@code bcqueuelen}, {@code mac}.
 */
record MacvlanRules() implements PluginRules {

    static final List<String> MODES = List.of("bridge", "private", "vepa", "passthru");
    /** Smallest MTU the kernel accepts for an Ethernet device (ETH_MIN_MTU). */
    static final int MIN_MTU = 68;
    static final int USUAL_MTU = 1500;

    @Override
    public void check(PluginContext ctx, Findings out) {
        JsonObject o = ctx.plugin();
        String p = ctx.path();
        Optional<String> master = Fields.string(o, "master", p, out);
        if (!o.has("master")) {
            out.warning(Text.at(p, "master"), "master is not set: the interface of the node's default route is used as master");
        }
        master.ifPresent(m -> InterfaceName.problem(m).ifPresent(problem ->
                out.error(Text.at(p, "master"), "master " + Text.quote(m) + " is not a valid interface name: " + problem
                        + " (1-15 characters without \"/\", \":\" or whitespace)")));
        Fields.string(o, "mode", p, out).ifPresent(mode -> {
            if (!mode.isEmpty() && !MODES.contains(mode)) {
                out.error(Text.at(p, "mode"), "mode " + Text.quote(mode) + " is not one of " + String.join(", ", MODES));
            }
        });
        Fields.integer(o, "mtu", p, out, 0, 65535).ifPresent(mtu -> {
            if (mtu > 0 && mtu < MIN_MTU) {
                out.error(Text.at(p, "mtu"), "mtu " + mtu + " is below the Ethernet minimum of " + MIN_MTU + " (0 means the master's MTU)");
            } else if (mtu > USUAL_MTU) {
                out.warning(Text.at(p, "mtu"), "mtu " + mtu + " must not exceed the MTU of master "
                        + master.map(Text::quote).orElse("(the default-route interface)") + " on every node, or ADD fails");
            }
        });
        Optional<Long> vlan = Fields.integer(o, "vlan", p, out, 0, 4094);
        if (vlan.isPresent() && ctx.network().options().upstreamPlugins()) {
            out.warning(Text.at(p, "vlan"), "vlan " + vlan.get() + " is ignored by the upstream macvlan plugin: traffic leaves master "
                    + master.map(Text::quote).orElse("(the default-route interface)")
                    + " untagged (netattach's macvlan honours it; upstream needs a VLAN interface as master)");
        }
        if (o.has("vlanId")) {
            out.warning(Text.at(p, "vlanId"), "vlanId is not a macvlan field (it belongs to the vlan plugin) and is ignored: use vlan");
        }
        Fields.bool(o, "linkInContainer", p, out, Severity.ERROR, " (macvlan fails to parse the config otherwise)");
        Fields.integer(o, "bcqueuelen", p, out, 0, 4294967295L);
        Fields.mac(o, "mac", p, out);
    }
}
