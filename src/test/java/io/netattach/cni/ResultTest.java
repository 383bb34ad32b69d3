package io.netattach.cni;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTest {

    private static final String V100 = """
            {"cniVersion":"1.0.0",
             "interfaces":[{"name":"eth1","mac":"0a:58:0a:00:00:02","sandbox":"/var/run/netns/p"}],
             "ips":[{"interface":0,"address":"192.168.100.10/24","gateway":"192.168.100.1"},
                    {"interface":0,"address":"fd00::10/64","gateway":"fd00::1"}],
             "routes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"},{"dst":"fd01::/64"}],
             "dns":{"nameservers":["1.1.1.1"]}}""";

    @Test
    void readsOneZeroZeroAndWritesItBackUnchanged() {
        Result r = Result.parse(V100, "prevResult", CniVersion.V1_0_0);
        assertEquals(CniVersion.V1_0_0, r.cniVersion());
        assertEquals(Json.write(Json.parse(V100)), r.toJson(CniVersion.V1_0_0).toJson());
    }

    @Test
    void convertsOneZeroZeroToZeroFourZeroWithIpVersion() {
        Result r = Result.parse(V100, "prevResult", CniVersion.V1_0_0);
        String out = r.toJson(CniVersion.V0_4_0).toJson();
        assertEquals("{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"eth1\",\"mac\":\"0a:58:0a:00:00:02\","
                + "\"sandbox\":\"/var/run/netns/p\"}],\"ips\":[{\"version\":\"4\",\"interface\":0,"
                + "\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"},{\"version\":\"6\",\"interface\":0,"
                + "\"address\":\"fd00::10/64\",\"gateway\":\"fd00::1\"}],\"routes\":[{\"dst\":\"10.0.0.0/8\","
                + "\"gw\":\"192.168.100.1\"},{\"dst\":\"fd01::/64\"}],\"dns\":{\"nameservers\":[\"1.1.1.1\"]}}", out);
    }

    @Test
    void convertsZeroThreeOneUpToOneOneZeroWithoutIpVersion() {
        String v031 = """
                {"cniVersion":"0.3.1","ips":[{"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1"}]}""";
        Result r = Result.parse(v031, "prevResult", CniVersion.V0_3_1);
        assertEquals("{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\"}]}",
                r.toJson(CniVersion.V1_1_0).toJson());
    }

    @Test
    void convertsToAndFromZeroTwoZero() {
        Result r = Result.parse(V100, "prevResult", CniVersion.V1_0_0);
        String out = r.toJson(CniVersion.V0_2_0).toJson();
        assertEquals("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\","
                + "\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}]},\"ip6\":{\"ip\":\"fd00::10/64\","
                + "\"gateway\":\"fd00::1\",\"routes\":[{\"dst\":\"fd01::/64\"}]},\"dns\":{\"nameservers\":[\"1.1.1.1\"]}}",
                out);
        Result back = Result.parse(out, "x", CniVersion.V1_0_0);
        assertEquals(CniVersion.V0_2_0, back.cniVersion());
        assertEquals(2, back.ips().size());
        assertEquals(2, back.routes().size());
        assertTrue(back.interfaces().isEmpty());
    }

    @Test
    void zeroTwoZeroNeedsAnAddress() {
        CniException e = assertThrows(CniException.class,
                () -> Result.empty(CniVersion.V1_0_0).toJson(CniVersion.V0_2_0));
        assertEquals("cannot convert result to version 0.2.0: no IP addresses", e.getMessage());
    }

    @Test
    void keepsOneOneZeroRouteFields() {
        String v110 = """
                {"cniVersion":"1.1.0","routes":[{"dst":"10.0.0.0/8","gw":"10.1.0.1","mtu":1400,"advmss":1360,\
                "priority":100,"table":200,"scope":0}]}""";
        Result r = Result.parse(v110, "p", CniVersion.V1_1_0);
        Route route = r.routes().get(0);
        assertEquals(100, route.priority());
        assertEquals(200, route.table());
        assertEquals(Json.write(Json.parse(v110)), r.toJson(CniVersion.V1_1_0).toJson());
    }

    @Test
    void interfaceMtuOnlyFromOneOneZero() {
        Result r = Result.empty(CniVersion.V1_1_0)
                .withInterfaces(List.of(new Interface("eth1", "aa:bb:cc:dd:ee:ff", 1400, "/ns", "", "")));
        assertTrue(r.toJson(CniVersion.V1_1_0).toJson().contains("\"mtu\":1400"));
        assertFalse(r.toJson(CniVersion.V1_0_0).toJson().contains("mtu"));
    }

    @Test
    void badRouteDstNamesTheField() {
        CniException e = assertThrows(CniException.class, () -> Result.parse(
                "{\"routes\":[{\"dst\":\"10.0.0.0/33\"}]}", "prevResult", CniVersion.V1_0_0));
        assertEquals(7, e.code());
        assertEquals("field \"prevResult.routes[0].dst\": expected a CIDR, got \"10.0.0.0/33\"", e.getMessage());
    }

    @Test
    void gatewayOfOtherFamilyIsRejected() {
        CniException e = assertThrows(CniException.class, () -> Result.parse(
                "{\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"fd00::1\"}]}", "prevResult", CniVersion.V1_0_0));
        assertEquals("field \"prevResult.routes[0].gw\": gateway \"fd00::1\" is not of the address family of dst "
                + "\"10.0.0.0/8\"", e.getMessage());
    }

    @Test
    void interfaceIndexOutOfRangeIsRejected() {
        CniException e = assertThrows(CniException.class, () -> Result.parse(
                "{\"ips\":[{\"address\":\"10.0.0.2/8\",\"interface\":1}]}", "prevResult", CniVersion.V1_0_0));
        assertEquals("field \"prevResult.ips[0].interface\": index 1 but there are 0 interfaces", e.getMessage());
    }

    @Test
    void malformedResultTextIsDecodeError() {
        CniException e = assertThrows(CniException.class, () -> Result.parse("{", "ipam result", CniVersion.V1_0_0));
        assertEquals(6, e.code());
        assertTrue(e.getMessage().startsWith("ipam result: "));
    }

    @Test
    void ipVersionMismatchIsRejected() {
        CniException e = assertThrows(CniException.class, () -> Result.parse(
                "{\"ips\":[{\"version\":\"6\",\"address\":\"10.0.0.2/8\"}]}", "prevResult", CniVersion.V0_4_0));
        assertEquals("field \"prevResult.ips[0].version\": \"6\" does not match address \"10.0.0.2/8\"",
                e.getMessage());
    }

    @Test
    void routeWithoutGwHasNone() {
        Result r = Result.parse("{\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"\"}]}", "p", CniVersion.V1_0_0);
        assertNull(r.routes().get(0).gw());
    }
}
