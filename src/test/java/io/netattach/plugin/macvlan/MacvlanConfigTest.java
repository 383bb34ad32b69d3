package io.netattach.plugin.macvlan;

import io.netattach.cni.CniException;
import io.netattach.cni.NetConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacvlanConfigTest {

    private static MacvlanConfig load(String fields, String args) {
        return MacvlanConfig.load(NetConf.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"macvlan\"" + fields
                + "}"), args);
    }

    @Test
    void defaultsAreBridgeModeNoMtuNoMacNoVlanL2Only() {
        MacvlanConfig c = load("", "");
        assertEquals("", c.master());
        assertEquals("bridge", c.mode());
        assertEquals(0, c.mtu());
        assertEquals(Optional.empty(), c.mac());
        assertFalse(c.linkInContainer());
        assertEquals(Optional.empty(), c.vlan());
        assertFalse(c.hasIpam());
        assertFalse(load(",\"ipam\":{}", "").hasIpam());
    }

    @Test
    void seedConfigIsRead() {
        MacvlanConfig c = load(",\"master\":\"br-ex\",\"vlan\":100,\"mode\":\"bridge\",\"mtu\":1400,\"bcqueuelen\":100,"
                + "\"linkInContainer\":false,\"ipam\":{\"type\":\"static\"}", "");
        assertEquals("br-ex", c.master());
        assertEquals(Optional.of(100), c.vlan());
        assertEquals(1400, c.mtu());
        assertEquals(Optional.of(100L), c.bcQueueLen());
        assertEquals("static", c.ipamType());
    }

    @Test
    void macComesFromConfigThenCniArgsThenRuntimeConfig() {
        assertEquals("02:00:00:00:00:01", load(",\"mac\":\"02:00:00:00:00:01\"", "").mac().orElseThrow());
        assertEquals("02:00:00:00:00:02", load(",\"mac\":\"02:00:00:00:00:01\"",
                "IgnoreUnknown=true;K8S_POD_NAME=x;MAC=02-00-00-00-00-02").mac().orElseThrow());
        assertEquals("02:00:00:00:00:03", load(",\"mac\":\"02:00:00:00:00:01\",\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"}",
                "MAC=02:00:00:00:00:02").mac().orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown mode        | ,"mode":"bridged"            |      | unknown macvlan mode: "bridged"
            mode not a string   | ,"mode":1                    |      | field "mode": expected a string, got 1
            negative mtu        | ,"mtu":-1                    |      | field "mtu": expected an integer from 0
            mtu fraction        | ,"mtu":1400.5                |      | field "mtu": expected an integer from 0
            vlan zero           | ,"vlan":0                    |      | field "vlan": expected an integer from 1 to 4094, got 0
            vlan too big        | ,"vlan":4095                 |      | field "vlan": expected an integer from 1 to 4094, got 4095
            vlan string         | ,"vlan":"100"                |      | field "vlan": expected an integer, got "100"
            bad mac             | ,"mac":"02:00:00:00:00"      |      | invalid mac "02:00:00:00:00": expected a MAC address
            multicast mac       | ,"mac":"01:00:5e:00:00:01"   |      | invalid mac "01:00:5e:00:00:01": a multicast address
            bad CNI_ARGS MAC    |                              | MAC=zz | invalid CNI_ARGS MAC "zz"
            unknown CNI_ARGS    |                              | FOO=1 | CNI_ARGS: unknown args [FOO]
            bad runtime mac     | ,"runtimeConfig":{"mac":"x"} |      | invalid runtimeConfig.mac "x"
            linkInContainer str | ,"linkInContainer":"yes"     |      | field "linkInContainer": expected a boolean, got "yes"
            bcqueuelen negative | ,"bcqueuelen":-5             |      | field "bcqueuelen": expected an integer from 0 to 4294967295, got -5
            ipam type traversal | ,"ipam":{"type":"../x"}      |      | field "ipam.type": "../x" is not a plugin name
            ipam type number    | ,"ipam":{"type":5}           |      | field "ipam.type": expected a string, got 5
            """)
    void malformedValuesAreRejectedNamingTheField(String name, String fields, String args, String message) {
        CniException e = assertThrows(CniException.class, () -> load(fields == null ? "" : fields, args == null ? "" : args));
        assertTrue(e.getMessage().startsWith(message), "got: " + e.getMessage());
    }
}
