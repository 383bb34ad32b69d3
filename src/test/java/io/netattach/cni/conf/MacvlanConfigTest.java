package io.netattach.cni.conf;

import io.netattach.cni.CniException;
import io.netattach.cni.Finding;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.plugin.CniArgs;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacvlanConfigTest {

    private static Loaded<MacvlanConfig> loaded(String fields, String args) {
        JsonObject conf = (JsonObject) Json.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"macvlan\"" + fields + "}");
        return MacvlanConfig.load(conf, CniArgs.parse(args, Set.of("MAC")));
    }

    private static MacvlanConfig load(String fields, String args) {
        return loaded(fields, args).orThrow();
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

    @Test
    void vlanZeroIsUntaggedNullIsAbsentAndDashesAreAMacSeparator() {
        assertEquals(Optional.empty(), load(",\"vlan\":0", "").vlan());
        MacvlanConfig nulls = load(",\"master\":null,\"mtu\":null,\"vlan\":null,\"mac\":null,\"mode\":null,\"ipam\":null", "");
        assertEquals("", nulls.master());
        assertEquals("bridge", nulls.mode());
        assertEquals(Optional.empty(), nulls.vlan());
        assertFalse(nulls.hasIpam());
        assertEquals("0a:58:0a:80:00:05", load(",\"mac\":\"0A-58-0A-80-00-05\"", "").mac().orElseThrow());
    }

    @Test
    void everyProblemIsAFindingAndAddFailsWithTheFirst() {
        Loaded<MacvlanConfig> l = loaded(",\"mode\":\"bridged\",\"mtu\":1.5e3,\"vlan\":4095,\"mac\":\"0a:58-0a:80:00:05\"", "");
        assertEquals(List.of("/mode", "/mtu", "/vlan", "/mac"), l.findings().stream().map(Finding::path).toList());
        CniException e = assertThrows(CniException.class, l::orThrow);
        assertEquals(7, e.code());
        assertEquals("mode \"bridged\" is not one of bridge, private, vepa, passthru", e.error().msg());
        assertEquals("at /mode of the network config", e.error().details());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown mode        | ,"mode":"bridged"            |      | /mode | mode "bridged" is not one of bridge, private, vepa, passthru
            mode not a string   | ,"mode":1                    |      | /mode | mode must be a string, got 1 (a number)
            negative mtu        | ,"mtu":-1                    |      | /mtu | mtu -1 is out of range: must be an integer 0..65535
            mtu fraction        | ,"mtu":1400.5                |      | /mtu | mtu 1400.5 must be an integer 0..65535
            mtu exponent        | ,"mtu":1.5e3                 |      | /mtu | mtu 1.5e3 must be an integer 0..65535
            mtu below minimum   | ,"mtu":67                    |      | /mtu | mtu 67 is below the Ethernet minimum of 68
            vlan too big        | ,"vlan":4095                 |      | /vlan | vlan 4095 is out of range: must be an integer 0..4094
            vlan string         | ,"vlan":"100"                |      | /vlan | vlan must be an integer 0..4094, got "100" (a string)
            vlan sub-interface  | ,"master":"abcdefghijklmn","vlan":100 | | /vlan | vlan 100 of master "abcdefghijklmn" needs the sub-interface "abcdefghijklmn.100", which is not a valid interface name: it is 18 bytes long
            master 16 bytes     | ,"master":"éééééééé" | | /master | master "éééééééé" is not a valid interface name: it is 16 bytes long, the limit is 15 bytes of UTF-8
            master with slash   | ,"master":"eth/0"            |      | /master | master "eth/0" is not a valid interface name: it contains "/"
            bad mac             | ,"mac":"02:00:00:00:00"      |      | /mac | mac "02:00:00:00:00" is not a MAC address
            mixed separators    | ,"mac":"0a:58-0a:80:00:05"   |      | /mac | mac "0a:58-0a:80:00:05" is not a MAC address
            multicast mac       | ,"mac":"01:00:5e:00:00:01"   |      | /mac | mac "01:00:5e:00:00:01" is a multicast MAC address
            all-zero mac        | ,"mac":"00:00:00:00:00:00"   |      | /mac | mac "00:00:00:00:00:00" is the all-zero MAC address
            bad CNI_ARGS MAC    |                              | MAC=zz | '' | CNI_ARGS MAC "zz" is not a MAC address
            bad runtime mac     | ,"runtimeConfig":{"mac":"x"} |      | /runtimeConfig/mac | mac "x" is not a MAC address
            linkInContainer str | ,"linkInContainer":"yes"     |      | /linkInContainer | linkInContainer must be a boolean (true or false), got "yes" (a string)
            string boolean      | ,"linkInContainer":"true"    |      | /linkInContainer | linkInContainer "true" is a string, not a boolean: write true without quotes
            bcqueuelen negative | ,"bcqueuelen":-5             |      | /bcqueuelen | bcqueuelen -5 is out of range: must be an integer 0..4294967295
            ipam type traversal | ,"ipam":{"type":"../x"}      |      | /ipam/type | ipam type "../x" is not a plain file name
            ipam type number    | ,"ipam":{"type":5}           |      | /ipam/type | type must be a string, got 5 (a number)
            """)
    void malformedValuesAreFindingsNamingTheField(String name, String fields, String args, String path, String message) {
        Loaded<MacvlanConfig> l = loaded(fields == null ? "" : fields, args == null ? "" : args);
        Finding first = l.firstError().orElseThrow(() -> new AssertionError("loads: " + l));
        assertEquals(path, first.path());
        assertTrue(first.message().startsWith(message), "got: " + first.message());
    }

    @Test
    void unknownCniArgsAreRefusedByTheArgsParser() {
        CniException e = assertThrows(CniException.class, () -> loaded("", "FOO=1"));
        assertTrue(e.getMessage().startsWith("CNI_ARGS: unknown args [FOO]"), e.getMessage());
    }
}
