package io.netattach.cni;

import io.netattach.cni.JsonValue.JsonNumber;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a result's {@code ips}: address with prefix, optional gateway, optional index into
 * {@code interfaces}. Results before 1.0.0 also carry {@code version} ("4"/"6"), derived here from the address.
 */
public record IpConfig(IpPrefix address, InetAddress gateway, Integer interfaceIndex) {

    public IpConfig {
        if (address == null) {
            throw new IllegalArgumentException("address is required");
        }
    }

    public boolean isIpv4() {
        return address.isIpv4();
    }

    public IpConfig withGateway(InetAddress newGateway) {
        return new IpConfig(address, newGateway, interfaceIndex);
    }

    public static IpConfig fromJson(JsonObject o, String path) {
        IpPrefix address = Fields.cidr(o, path, "address")
                .orElseThrow(() -> CniException.config("field \"" + Fields.path(path, "address") + "\" is required"));
        InetAddress gateway = Fields.ip(o, path, "gateway").orElse(null);
        Integer index = Fields.int32(o, path, "interface", 0, Integer.MAX_VALUE).orElse(null);
        var version = Fields.string(o, path, "version");
        if (version.isPresent() && !version.get().equals(address.isIpv4() ? "4" : "6")) {
            throw CniException.config("field \"" + Fields.path(path, "version") + "\": \"" + version.get()
                    + "\" does not match address \"" + address + "\"");
        }
        return new IpConfig(address, gateway, index);
    }

    public JsonObject toJson(CniVersion version) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        if (version.resultHasIpVersion()) {
            m.put("version", new JsonString(address.isIpv4() ? "4" : "6"));
        }
        if (interfaceIndex != null) {
            m.put("interface", JsonNumber.of(interfaceIndex));
        }
        m.put("address", new JsonString(address.toString()));
        if (gateway != null) {
            m.put("gateway", new JsonString(IpPrefix.format(gateway)));
        }
        return new JsonObject(m);
    }
}
