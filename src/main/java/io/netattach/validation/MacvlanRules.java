package io.netattach.validation;

import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonNull;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Text;
import io.netattach.cni.conf.MacvlanConfig;

import java.util.Map;
import java.util.Optional;

/**
 * macvlan: whether the plugin loads the config is the plugin's own loader's to say ({@link MacvlanConfig});
 * here only what depends on the context: master not set, an MTU above the usual, {@code vlan} with the
 * upstream plugin (which ignores it: {@code vlan} is a netattach extension), {@code vlanId} (a field of
 * another plugin).
 */
record MacvlanRules() implements PluginRules {

    static final int USUAL_MTU = 1500;

    @Override
    public void check(PluginContext ctx, Findings out) {
        JsonObject o = ctx.plugin();
        String p = ctx.path();
        LoaderFindings.report(p, MacvlanConfig.load(o, Map.of()).findings(), out);
        Findings quiet = new Findings(); // the loader reported the problems of these fields already
        Optional<String> master = Fields.string(o, "master", p, quiet).filter(m -> !m.isEmpty());
        JsonValue given = o.members().get("master");
        if (given == null || given == JsonNull.INSTANCE || (given instanceof JsonString s && s.value().isEmpty())) {
            out.warning(Text.at(p, "master"), "master is not set: the interface of the node's default route is used as master");
        }
        String masterText = master.map(Text::quote).orElse("(the default-route interface)");
        Fields.integer(o, "mtu", p, quiet, 0, MacvlanConfig.MAX_MTU).filter(mtu -> mtu > USUAL_MTU).ifPresent(mtu ->
                out.warning(Text.at(p, "mtu"), "mtu " + mtu + " must not exceed the MTU of master " + masterText + " on every node, or ADD fails"));
        Optional<Long> vlan = Fields.integer(o, "vlan", p, quiet, 0, 4094).filter(v -> v != 0);
        if (vlan.isPresent() && ctx.network().options().upstreamPlugins()) {
            out.warning(Text.at(p, "vlan"), "vlan " + vlan.get() + " is ignored by the upstream macvlan plugin: traffic leaves master "
                    + masterText + " untagged (netattach's macvlan honours it; upstream needs a VLAN interface as master)");
        }
        if (o.has("vlanId")) {
            out.warning(Text.at(p, "vlanId"), "vlanId is not a macvlan field (it belongs to the vlan plugin) and is ignored: use vlan");
        }
    }
}
