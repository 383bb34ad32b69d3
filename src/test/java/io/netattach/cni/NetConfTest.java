package io.netattach.cni;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetConfTest {

    @Test
    void parsesStandardFields() {
        NetConf c = NetConf.parse("""
                {"cniVersion":"1.0.0","name":"management-net","type":"macvlan","ipam":{"type":"static"},
                 "args":{"cni":{"flushroutes":true}},"prevResult":{"cniVersion":"1.0.0","ips":[]}}""");
        assertEquals(CniVersion.V1_0_0, c.version().orElseThrow());
        assertEquals("static", c.ipamType());
        assertEquals("management-net", c.name());
        assertTrue(c.argsCni().has("flushroutes"));
        assertTrue(c.parsedPrevResult().isPresent());
    }

    @Test
    void missingVersionMeansZeroOneZero() {
        assertEquals(CniVersion.V0_1_0, NetConf.parse("{\"type\":\"x\"}").version().orElseThrow());
    }

    @Test
    void malformedJsonIsCodeSix() {
        CniException e = assertThrows(CniException.class, () -> NetConf.parse("{\"type\":"));
        assertEquals(6, e.code());
        assertTrue(e.getMessage().startsWith("error parsing network configuration: "), e.getMessage());
    }

    @Test
    void nonObjectIsCodeSix() {
        CniException e = assertThrows(CniException.class, () -> NetConf.parse("[1]"));
        assertEquals(6, e.code());
        assertEquals("error parsing network configuration: expected a JSON object, got array", e.getMessage());
    }

    @Test
    void wrongTypeOfStandardFieldIsCodeSeven() {
        CniException e = assertThrows(CniException.class, () -> NetConf.parse("{\"cniVersion\":1.0}"));
        assertEquals(7, e.code());
        assertEquals("field \"cniVersion\": expected a string, got 1.0", e.getMessage());
    }

    @Test
    void unknownVersionHasNoVersion() {
        assertTrue(NetConf.parse("{\"cniVersion\":\"0.5.0\"}").version().isEmpty());
    }
}
