package io.netattach.plugin.staticipam;

import io.netattach.cni.CniVersion;
import io.netattach.cni.Finding;
import io.netattach.cni.conf.Loaded;
import io.netattach.cni.conf.StaticIpamConfig;

import java.util.List;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticIpamTest {

    private static JsonObject conf(String ipam) {
        return conf(ipam, "");
    }

    private static JsonObject conf(String ipam, String extra) {
        return (JsonObject) Json.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"macvlan\",\"ipam\":" + ipam
                + extra + "}");
    }

    private static StaticIpamConfig load(JsonObject conf, String args) {
        return StaticIpam.load(conf, CniVersion.V1_0_0, args);
    }

    @Test
    void seedAddressGivesResultWithGatewayAndNoRoute() throws Exception {
        StaticIpamConfig c = load(conf("{\"type\":\"static\",\"addresses\":[{\"address\":\"192.168.100.10/24\","
                + "\"gateway\":\"192.168.100.1\"}]}"), "");
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}]"
                + "}", StaticIpam.addResult(c).toJson(CniVersion.V1_0_0).toJson());
    }

    @Test
    void routesAndDnsPassThroughWithAllRouteAttributes() throws Exception {
        StaticIpamConfig c = load(conf("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.1.0.5/16\"},"
                + "{\"address\":\"2001:db8::5/64\",\"gateway\":\"2001:db8::1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\",\"mtu\":1400,\"advmss\":1360,\"priority\":100,"
                + "\"table\":200,\"scope\":0},{\"dst\":\"2001:db8:1::/48\"}],"
                + "\"dns\":{\"nameservers\":[\"10.1.0.2\"],\"domain\":\"example.org\",\"search\":[\"a.example.org\"],"
                + "\"options\":[\"ndots:2\"]}}"), "");
        assertEquals("{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.1.0.5/16\"},{\"address\":\"2001:db8::5/64\","
                + "\"gateway\":\"2001:db8::1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\",\"mtu\":1400,"
                + "\"advmss\":1360,\"priority\":100,\"table\":200,\"scope\":0},{\"dst\":\"2001:db8:1::/48\"}],"
                + "\"dns\":{\"nameservers\":[\"10.1.0.2\"],\"domain\":\"example.org\",\"search\":[\"a.example.org\"],"
                + "\"options\":[\"ndots:2\"]}}", StaticIpam.addResult(c).toJson(CniVersion.V1_1_0).toJson());
    }

    @Test
    void cniArgsIpIsAppendedAndGatewayGoesToTheContainingSubnet() throws Exception {
        StaticIpamConfig c = load(conf("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.2/24\"}]}"),
                "IgnoreUnknown=true;K8S_POD_NAME=p;IP=10.1.0.2/24,10.2.0.2/24;GATEWAY=10.2.0.1");
        assertEquals(3, c.addresses().size());
        assertEquals("10.1.0.2/24", c.addresses().get(1).address().toString());
        assertTrue(c.addresses().get(1).gateway().isEmpty());
        assertEquals("10.2.0.1", c.addresses().get(2).gateway().orElseThrow().getHostAddress());
    }

    @Test
    void argsCniIpsReplaceAndRuntimeConfigIpsReplaceAgain() throws Exception {
        String ipam = "{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.2/24\"}]}";
        StaticIpamConfig fromArgs = load(conf(ipam, ",\"args\":{\"cni\":{\"ips\":[\"10.9.0.2/24\"]}}"), "");
        assertEquals("10.9.0.2/24", fromArgs.addresses().getFirst().address().toString());
        assertEquals(1, fromArgs.addresses().size());
        StaticIpamConfig both = load(conf(ipam, ",\"args\":{\"cni\":{\"ips\":[\"10.9.0.2/24\"]}},"
                + "\"runtimeConfig\":{\"ips\":[\"10.8.0.2/24\",\"10.8.1.2/24\"],\"mac\":\"02:00:00:00:00:01\"}"), "");
        assertEquals(2, both.addresses().size());
        assertEquals("10.8.0.2/24", both.addresses().getFirst().address().toString());
    }

    @Test
    void severalAddressesPerFamilyNeedVersion030() throws Exception {
        JsonObject c = conf("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.2/24\"},{\"address\":\"10.0.1.2/24\"}]}");
        io.netattach.cni.CniException e = assertThrows(io.netattach.cni.CniException.class, () -> StaticIpam.load(c, CniVersion.V0_2_0, ""));
        assertEquals("more than one IPv4 address needs cniVersion 0.3.0 or later, the config has \"0.2.0\"", e.error().msg());
        assertEquals(2, StaticIpam.load(c, CniVersion.V0_3_0, "").addresses().size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing ipam                 | NONE | | /ipam | ipam is missing: static IPAM reads its addresses from the ipam object
            ipam not an object           | "static" | | /ipam | ipam must be an object, got "static" (a string)
            addresses not an array       | {"type":"static","addresses":{}} | | /ipam/addresses | addresses must be an array, got an object
            address not CIDR             | {"type":"static","addresses":[{"address":"10.0.0.1"}]} | | /ipam/addresses/0/address | address "10.0.0.1" is not in CIDR notation ADDRESS/LENGTH (a prefix length such as /24 is missing)
            address missing              | {"type":"static","addresses":[{"gateway":"10.0.0.1"}]} | | /ipam/addresses/0/address | address is missing: each addresses entry needs an address in CIDR notation
            address is a number          | {"type":"static","addresses":[{"address":5}]} | | /ipam/addresses/0/address | address must be a string, got 5 (a number)
            prefix too long              | {"type":"static","addresses":[{"address":"10.0.0.1/33"}]} | | /ipam/addresses/0/address | address "10.0.0.1/33" is not in CIDR notation
            network address              | {"type":"static","addresses":[{"address":"10.0.0.0/24"}]} | | /ipam/addresses/0/address | address "10.0.0.0/24" is the network address of its subnet
            bad gateway                  | {"type":"static","addresses":[{"address":"10.0.0.2/24","gateway":"10.0.0.256"}]} | | /ipam/addresses/0/gateway | gateway "10.0.0.256" is not an IP address
            gateway of other family      | {"type":"static","addresses":[{"address":"10.0.0.2/24","gateway":"fe80::1"}]} | | /ipam/addresses/0/gateway | gateway "fe80::1" is IPv6 but address "10.0.0.2/24" is IPv4
            duplicate address            | {"type":"static","addresses":[{"address":"10.0.0.2/24"},{"address":"10.0.0.2/16"}]} | | /ipam/addresses/1/address | address "10.0.0.2/16" is configured twice (also as addresses[0])
            route dst missing            | {"type":"static","routes":[{"gw":"10.0.0.1"}]} | | /ipam/routes/0/dst | dst is missing: a route needs a destination CIDR
            route dst not CIDR           | {"type":"static","routes":[{"dst":"default"}]} | | /ipam/routes/0/dst | dst "default" is not in CIDR notation
            route dst host bits          | {"type":"static","routes":[{"dst":"10.0.0.1/8"}]} | | /ipam/routes/0/dst | dst "10.0.0.1/8" has host bits set: the kernel refuses such a route (write 10.0.0.0/8)
            route gw bad                 | {"type":"static","routes":[{"dst":"10.0.0.0/8","gw":"x"}]} | | /ipam/routes/0/gw | gw "x" is not an IP address
            route gw family              | {"type":"static","routes":[{"dst":"10.0.0.0/8","gw":"2001:db8::1"}]} | | /ipam/routes/0/gw | gw "2001:db8::1" is IPv6 but dst "10.0.0.0/8" is IPv4
            route mtu negative           | {"type":"static","routes":[{"dst":"10.0.0.0/8","mtu":-1}]} | | /ipam/routes/0/mtu | mtu -1 is out of range: must be an integer 0..65535
            route mtu fraction           | {"type":"static","routes":[{"dst":"10.0.0.0/8","mtu":1400.5}]} | | /ipam/routes/0/mtu | mtu 1400.5 must be an integer 0..65535
            route mtu exponent           | {"type":"static","routes":[{"dst":"10.0.0.0/8","mtu":1.4e3}]} | | /ipam/routes/0/mtu | mtu 1.4e3 must be an integer 0..65535
            route advmss string          | {"type":"static","routes":[{"dst":"10.0.0.0/8","advmss":"1360"}]} | | /ipam/routes/0/advmss | advmss must be an integer 0..65535, got "1360" (a string)
            route priority too big       | {"type":"static","routes":[{"dst":"10.0.0.0/8","priority":4294967296}]} | | /ipam/routes/0/priority | priority 4294967296 is out of range: must be an integer 0..4294967295
            route table bad              | {"type":"static","routes":[{"dst":"10.0.0.0/8","table":true}]} | | /ipam/routes/0/table | table must be an integer 0..4294967295, got true (a boolean)
            route scope too big          | {"type":"static","routes":[{"dst":"10.0.0.0/8","scope":256}]} | | /ipam/routes/0/scope | scope 256 is out of range: must be an integer 0..255
            dns not object               | {"type":"static","dns":[]} | | /ipam/dns | dns must be an object, got an array
            nameserver not IP            | {"type":"static","dns":{"nameservers":["ns1"]}} | | /ipam/dns/nameservers/0 | nameserver "ns1" is not an IP address
            search not strings           | {"type":"static","dns":{"search":[1]}} | | /ipam/dns/search/0 | search entries must be strings, got 1 (a number)
            args.cni.ips not CIDR        | {"type":"static"} | ,"args":{"cni":{"ips":["10.0.0.1"]}} | /args/cni/ips/0 | ips entry "10.0.0.1" is not in CIDR notation
            runtimeConfig.ips not array  | {"type":"static"} | ,"runtimeConfig":{"ips":"10.0.0.1/24"} | /runtimeConfig/ips | ips must be an array, got "10.0.0.1/24" (a string)
            runtimeConfig.mac bad        | {"type":"static"} | ,"runtimeConfig":{"mac":"zz"} | /runtimeConfig/mac | mac "zz" is not a MAC address
            args not object              | {"type":"static"} | ,"args":[] | /args | args must be an object, got an array
            """)
    void malformedValuesAreFindingsNamingTheFieldAndAddFailsWithTheFirst(String name, String ipam, String extra, String path, String message) {
        JsonObject c = ipam.equals("NONE")
                ? (JsonObject) Json.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}")
                : conf(ipam, extra == null ? "" : extra);
        Loaded<StaticIpamConfig> loaded = StaticIpamConfig.load(c, CniVersion.V1_0_0, java.util.Map.of());
        Finding first = loaded.firstError().orElseThrow(() -> new AssertionError("loads: " + loaded));
        assertEquals(path, first.path());
        assertTrue(first.message().startsWith(message), "got: " + first.message());
        io.netattach.cni.CniException e = assertThrows(io.netattach.cni.CniException.class, () -> load(c, ""));
        assertEquals(first.message(), e.error().msg());
        assertEquals("at " + path + " of the network config", e.error().details());
        assertEquals(StaticIpam.CODE_INVALID_CONFIG, e.code());
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        JsonObject c = conf("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.1\"},{\"address\":\"10.0.1.2/24\",\"gateway\":\"x\"}],"
                + "\"routes\":[{\"dst\":\"10.0.0.1/8\"}],\"dns\":{\"nameservers\":[\"ns1\"]}}");
        List<String> paths = StaticIpamConfig.load(c, CniVersion.V1_0_0, java.util.Map.of()).findings().stream()
                .filter(Finding::isError).map(Finding::path).toList();
        assertEquals(List.of("/ipam/addresses/0/address", "/ipam/addresses/1/gateway", "/ipam/routes/0/dst", "/ipam/dns/nameservers/0"), paths);
    }

    @Test
    void nullIsTheSameAsAbsent() {
        StaticIpamConfig c = load(conf("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.2/24\",\"gateway\":null}],\"routes\":null,\"dns\":null}"), "");
        assertEquals(1, c.addresses().size());
        assertTrue(c.addresses().getFirst().gateway().isEmpty());
        assertTrue(c.routes().isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            IP not CIDR           | IP=10.0.0.1                  | CNI_ARGS IP: "10.0.0.1" is not in CIDR notation
            GATEWAY not an IP     | IP=10.0.0.2/24;GATEWAY=gw    | CNI_ARGS GATEWAY: "gw" is not an IP address
            pair without =        | IP                           | CNI_ARGS: invalid pair "IP"
            unknown key           | FOO=bar                      | CNI_ARGS: unknown args [FOO]
            bad IgnoreUnknown     | IgnoreUnknown=maybe          | CNI_ARGS IgnoreUnknown: "maybe" is not a boolean
            """)
    void malformedCniArgsAreRejectedWithCode4(String name, String args, String message) {
        JsonObject c = conf("{\"type\":\"static\"}");
        io.netattach.cni.CniException e = assertThrows(io.netattach.cni.CniException.class, () -> load(c, args));
        assertTrue(e.getMessage().startsWith(message), "got: " + e.getMessage());
        assertEquals(StaticIpam.CODE_INVALID_ENV, e.code());
    }

    @Test
    void checkAcceptsMatchingPrevResultAndRejectsMissingOrDifferentAddresses() throws Exception {
        String ipam = "{\"type\":\"static\",\"addresses\":[{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}]}";
        JsonObject ok = conf(ipam, ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\","
                + "\"gateway\":\"192.168.100.1\",\"interface\":0}],\"interfaces\":[{\"name\":\"eth1\",\"sandbox\":\"/run/netns/x\"}]}");
        StaticIpam.check(load(ok, ""), ok, "eth1");

        JsonObject missing = conf(ipam, ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[]}");
        assertTrue(assertThrows(io.netattach.cni.CniException.class, () -> StaticIpam.check(load(missing, ""), missing, "eth1"))
                .getMessage().contains("192.168.100.10/24 on interface \"eth1\" is missing from prevResult"));

        JsonObject otherGw = conf(ipam, ",\"prevResult\":{\"ips\":[{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.2\"}]}");
        assertTrue(assertThrows(io.netattach.cni.CniException.class, () -> StaticIpam.check(load(otherGw, ""), otherGw, "eth1"))
                .getMessage().contains("is 192.168.100.2 in prevResult, expected 192.168.100.1"));

        JsonObject otherPrefix = conf(ipam, ",\"prevResult\":{\"ips\":[{\"address\":\"192.168.100.10/16\",\"gateway\":\"192.168.100.1\"}]}");
        assertTrue(assertThrows(io.netattach.cni.CniException.class, () -> StaticIpam.check(load(otherPrefix, ""), otherPrefix, "eth1"))
                .getMessage().contains("has prefix length 16 in prevResult"));

        JsonObject none = conf(ipam);
        assertEquals("required prevResult missing",
                assertThrows(io.netattach.cni.CniException.class, () -> StaticIpam.check(load(none, ""), none, "eth1")).getMessage());
    }
}
