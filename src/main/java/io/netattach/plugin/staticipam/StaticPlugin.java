package io.netattach.plugin.staticipam;

import io.netattach.cni.conf.StaticIpamConfig;
import io.netattach.cni.CniVersion;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;
import io.netattach.plugin.CniRequest;
import io.netattach.plugin.Plugin;

import java.util.Set;

/**
 * The {@code static} IPAM plugin: addresses, routes and DNS from the config (see {@link StaticIpam}).
 * It keeps no state, so DEL has nothing to release; CHECK compares with prevResult; STATUS is ready.
 */
public final class StaticPlugin implements Plugin {

    @Override
    public String name() {
        return "static";
    }

    @Override
    public Set<String> knownArgs() {
        return Set.of("IP", "GATEWAY");
    }

    private static StaticIpamConfig load(CniRequest request, NetConf conf) {
        CniVersion version = conf.version().orElse(CniVersion.CURRENT);
        return StaticIpam.load(conf.raw(), version, request.args());
    }

    @Override
    public Result add(CniRequest request, NetConf conf) {
        return StaticIpam.addResult(load(request, conf));
    }

    /** Nothing was allocated, so nothing to release; never fails (cleanup must not be blocked). */
    @Override
    public void del(CniRequest request, NetConf conf) {
        // stateless
    }

    @Override
    public void check(CniRequest request, NetConf conf) {
        StaticIpam.check(load(request, conf), conf.raw(), request.ifname());
    }

    @Override
    public void status(CniRequest request, NetConf conf) {
        // always ready: no daemon, no state
    }
}
