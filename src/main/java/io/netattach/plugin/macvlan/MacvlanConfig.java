package io.netattach.plugin.macvlan;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.Fields;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetConf;
import io.netattach.plugin.CniArgs;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The macvlan plugin's configuration: the reference fields ({@code master}, {@code mode}, {@code mtu},
 * {@code mac}, {@code linkInContainer}, {@code bcqueuelen}, {@code ipam}) plus the {@code vlan}
 * extension. Checks that need the kernel (master exists, MTU within the master's) happen at run time.
 *
 * @param master          master interface; empty = the interface of the default route
 * @param mode            {@code bridge} (default), {@code private}, {@code vepa} or {@code passthru}
 * @param mtu             0 = the kernel's default (the master's MTU)
 * @param mac             MAC to set: config {@code mac}, overridden by CNI_ARGS {@code MAC=}, then by
 *                        {@code runtimeConfig.mac}
 * @param bcQueueLen      broadcast queue length, absent = kernel default
 * @param vlan            802.1Q VLAN id of the sub-interface of master to attach to, absent = none
 * @param ipamType        {@code ipam.type}; empty = L2 only (no addresses, link just set up)
 */
public record MacvlanConfig(NetConf netConf, String master, String mode, int mtu, Optional<String> mac,
                            boolean linkInContainer, Optional<Long> bcQueueLen, Optional<Integer> vlan,
                            String ipamType) {

    private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}");

    /** With raw CNI_ARGS ({@code K=V;...}); unknown keys need IgnoreUnknown. */
    public static MacvlanConfig load(NetConf conf, String cniArgs) {
        return load(conf, CniArgs.parse(cniArgs, Set.of("MAC")));
    }

    /** With CNI_ARGS already parsed (the skeleton's request); only {@code MAC} is read. */
    public static MacvlanConfig load(NetConf conf, java.util.Map<String, String> cniArgs) {
        JsonObject raw = conf.raw();
        String master = Fields.string(raw, "", "master").orElse("");
        String mode = Fields.string(raw, "", "mode").orElse("");
        if (mode.isEmpty()) {
            mode = "bridge";
        }
        if (!Set.of("bridge", "private", "vepa", "passthru").contains(mode)) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "unknown macvlan mode: \"" + mode
                    + "\" (field \"mode\": expected bridge, private, vepa or passthru)");
        }
        int mtu = Fields.int32(raw, "", "mtu", 0, Integer.MAX_VALUE).orElse(0);
        Optional<String> mac = Fields.string(raw, "", "mac").filter(s -> !s.isEmpty()).map(m -> mac(m, "mac"));
        String argMac = cniArgs.get("MAC");
        if (argMac != null && !argMac.isEmpty()) {
            mac = Optional.of(mac(argMac, "CNI_ARGS MAC"));
        }
        Optional<String> rcMac = Fields.string(conf.runtimeConfig(), "runtimeConfig", "mac").filter(s -> !s.isEmpty());
        if (rcMac.isPresent()) {
            mac = Optional.of(mac(rcMac.get(), "runtimeConfig.mac"));
        }
        boolean linkInContainer = Fields.bool(raw, "", "linkInContainer");
        Optional<Long> bcQueueLen = Fields.integer(raw, "", "bcqueuelen", 0, 0xffffffffL);
        Optional<Integer> vlan = Fields.int32(raw, "", "vlan", 1, 4094);
        String ipamType = conf.ipamType();
        if (!ipamType.isEmpty() && (ipamType.contains("/") || ipamType.contains("\\") || ipamType.contains(".."))) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "field \"ipam.type\": \"" + ipamType
                    + "\" is not a plugin name (no '/', '\\' or '..' allowed)");
        }
        return new MacvlanConfig(conf, master, mode, mtu, mac, linkInContainer, bcQueueLen, vlan, ipamType);
    }

    /** Whether an IPAM plugin is configured (else the interface is L2 only). */
    public boolean hasIpam() {
        return !ipamType.isEmpty();
    }

    private static String mac(String text, String field) {
        if (!MAC.matcher(text).matches()) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "invalid " + field + " \"" + text
                    + "\": expected a MAC address such as 02:00:00:00:00:01");
        }
        String normal = text.replace('-', ':').toLowerCase(Locale.ROOT);
        int first = Integer.parseInt(normal.substring(0, 2), 16);
        if ((first & 1) != 0) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "invalid " + field + " \"" + text
                    + "\": a multicast address cannot be an interface address");
        }
        if (normal.equals("00:00:00:00:00:00")) {
            throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, "invalid " + field + " \"" + text
                    + "\": the all-zero address cannot be an interface address");
        }
        return normal;
    }
}
