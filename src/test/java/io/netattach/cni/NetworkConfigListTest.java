package io.netattach.cni;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkConfigListTest {

    private static String error(String json) {
        return assertThrows(CniException.class, () -> NetworkConfigList.fromJson(Json.parse(json))).getMessage();
    }

    @Test
    void parsesSeedChain() {
        NetworkConfigList l = NetworkConfigList.fromJson(Json.parse("""
                {"cniVersion":"1.0.0","name":"management-net","disableCheck":"true","plugins":[
                  {"type":"macvlan","master":"br-ex","ipam":{"type":"static"}},
                  {"type":"route-override","addroutes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"}]}]}"""));
        assertEquals(2, l.plugins().size());
        assertTrue(l.disableCheck());
        String req = l.requestConfig(1, Result.parse(
                "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\"}]}", "p", CniVersion.V1_0_0),
                null).toJson();
        assertEquals("{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"route-override\","
                + "\"addroutes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}],\"prevResult\":{\"cniVersion\":"
                + "\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\"}]}}", req);
    }

    @Test
    void libcniErrors() {
        assertEquals("no name", error("{\"plugins\":[]}"));
        assertEquals("no plugins in list", error("{\"name\":\"n\",\"plugins\":[]}"));
        assertEquals("failed to parse plugin config 1: error parsing configuration: missing 'type'",
                error("{\"name\":\"n\",\"plugins\":[{\"type\":\"a\"},{}]}"));
        assertEquals("field \"plugins\": expected an array, got {}", error("{\"name\":\"n\",\"plugins\":{}}"));
        assertEquals("field \"disableCheck\": expected a boolean, got \"yes\"",
                error("{\"name\":\"n\",\"disableCheck\":\"yes\"}"));
        assertEquals("field \"plugins\" is required when loadOnlyInlinedPlugins is true",
                error("{\"name\":\"n\",\"loadOnlyInlinedPlugins\":true}"));
    }

    @Test
    void noPluginsKeyIsAccepted() {
        assertEquals(0, NetworkConfigList.fromJson(Json.parse("{\"name\":\"n\"}")).plugins().size());
    }
}
