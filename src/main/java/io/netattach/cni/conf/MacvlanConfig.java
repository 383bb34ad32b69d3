package io.netattach.cni.conf;

import io.netattach.cni.CniException;
import io.netattach.cni.Fields;
import io.netattach.cni.Findings;
import io.netattach.cni.InterfaceName;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.MacAddress;
import io.netattach.cni.NetConf;
import io.netattach.cni.PluginType;
import io.netattach.cni.Severity;
import io.netattach.cni.Text;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The macvlan plugin's configuration: the reference fields ({@code master}, {@code mode}, {@code mtu},
 * {@code mac}, {@code linkInContainer}, {@code bcqueuelen}, {@code ipam}) plus the {@code vlan}
 * extension. Checks that need the kernel (master exists, MTU within the master's) happen at run time.
 *
 * @param master          master interface; empty = the interface of the default route
 * @param mode            {@code bridge} (default), {@code private}, {@code vepa} or {@code passthru}
 * @param mtu             0 = the kernel's default (the master's MTU)
 * @param mac             MAC to set (canonical form): config {@code mac}, overridden by CNI_ARGS {@code MAC=},
 *                        then by {@code runtimeConfig.mac}
 * @param bcQueueLen      broadcast queue length, absent = kernel default
 * @param vlan            802.1Q VLAN id (1-4094) of the sub-interface of master to attach to; absent (or
 *                        {@code "vlan": 0}) = untagged, master itself
 * @param ipamType        {@code ipam.type}; empty = L2 only (no addresses, link just set up)
 */
public record MacvlanConfig(NetConf netConf, String master, String mode, int mtu, Optional<String> mac,
                            boolean linkInContainer, Optional<Long> bcQueueLen, Optional<Integer> vlan,
                            String ipamType) {

    public static final List<String> MODES = List.of("bridge", "private", "vepa", "passthru");
    /** Smallest MTU the kernel accepts for an Ethernet device (ETH_MIN_MTU). */
    public static final int MIN_MTU = 68;
    /** Largest MTU of the field (the kernel's maximum for macvlan is the master's, checked at ADD). */
    public static final int MAX_MTU = 65535;

    /**
     * Loads the plugin object {@code conf} (as the plugin gets it on stdin) with CNI_ARGS already parsed
     * (only {@code MAC} is read). Findings have paths relative to {@code conf}.
     */
    public static Loaded<MacvlanConfig> load(JsonObject conf, Map<String, String> cniArgs) {
        Findings out = new Findings();
        StandardFields.check(conf, out);
        String master = Fields.string(conf, "master", "", out).orElse("");
        if (!master.isEmpty()) {
            InterfaceName.problem(master).ifPresent(problem -> out.error("/master", "master " + Text.quote(master)
                    + " is not a valid interface name: " + problem + " (1-15 bytes without \"/\", \":\" or whitespace)"));
        }
        String mode = Fields.string(conf, "mode", "", out).orElse("");
        if (mode.isEmpty()) {
            mode = "bridge";
        } else if (!MODES.contains(mode)) {
            out.error("/mode", "mode " + Text.quote(mode) + " is not one of " + String.join(", ", MODES));
        }
        int mtu = Fields.integer(conf, "mtu", "", out, 0, MAX_MTU).map(Long::intValue).orElse(0);
        if (mtu > 0 && mtu < MIN_MTU) {
            out.error("/mtu", "mtu " + mtu + " is below the Ethernet minimum of " + MIN_MTU + " (0 means the master's MTU)");
        }
        Optional<Integer> vlan = Fields.integer(conf, "vlan", "", out, 0, 4094).filter(v -> v != 0).map(Long::intValue);
        if (vlan.isPresent() && !master.isEmpty() && InterfaceName.isValid(master)) {
            String sub = master + "." + vlan.get();
            InterfaceName.problem(sub).ifPresent(problem -> out.error("/vlan", "vlan " + vlan.get() + " of master "
                    + Text.quote(master) + " needs the sub-interface " + Text.quote(sub) + ", which is not a valid interface name: " + problem));
        }
        boolean linkInContainer = Fields.bool(conf, "linkInContainer", "", out, Severity.ERROR, "").orElse(false);
        Optional<Long> bcQueueLen = Fields.integer(conf, "bcqueuelen", "", out, 0, 4294967295L);
        Optional<String> mac = Fields.mac(conf, "mac", "", out).map(MacAddress::text);
        String argMac = cniArgs.get("MAC");
        if (argMac != null && !argMac.isEmpty()) {
            Optional<String> problem = MacAddress.problem(argMac);
            if (problem.isPresent()) {
                out.error("", "CNI_ARGS MAC " + Text.quote(argMac) + " " + problem.get());
            } else {
                mac = MacAddress.parse(argMac).map(MacAddress::text);
            }
        }
        Optional<JsonObject> runtimeConfig = Fields.object(conf, "runtimeConfig", "", out);
        if (runtimeConfig.isPresent()) {
            Optional<String> rcMac = Fields.mac(runtimeConfig.get(), "mac", "/runtimeConfig", out).map(MacAddress::text);
            if (rcMac.isPresent()) {
                mac = rcMac;
            }
        }
        String ipamType = ipamType(conf, out);
        if (out.hasErrors()) {
            return new Loaded<>(Optional.empty(), out.list());
        }
        NetConf netConf;
        try {
            netConf = NetConf.fromJson(conf);
        } catch (CniException e) { // the standard fields were checked above: this is a safety net only
            out.error("", e.getMessage());
            return new Loaded<>(Optional.empty(), out.list());
        }
        return Loaded.of(new MacvlanConfig(netConf, master, mode, mtu, mac, linkInContainer, bcQueueLen, vlan, ipamType),
                out.list());
    }

    /** {@code ipam.type} when it names a plugin file; empty when there is no IPAM (L2 only). */
    static String ipamType(JsonObject conf, Findings out) {
        Optional<JsonObject> ipam = Fields.object(conf, "ipam", "", out);
        if (ipam.isEmpty()) {
            return "";
        }
        String type = Fields.string(ipam.get(), "type", "/ipam", out).orElse("");
        if (!type.isEmpty()) {
            PluginType.problem(type).ifPresent(problem -> out.error("/ipam/type", "ipam type " + Text.quote(type) + " " + problem));
        }
        return type;
    }

    /** Whether an IPAM plugin is configured (else the interface is L2 only). */
    public boolean hasIpam() {
        return !ipamType.isEmpty();
    }
}
