package io.netattach.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPrefixTest {

    private static IpPrefix p(String text) {
        return IpPrefix.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1", "1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4.5", "localhost", "",
            "1.2.3.4 ", "fe80::1%eth0", "[::1]", "::g", "1:2:3:4:5:6:7:8:9",
            "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.", "1000.1.1.1", "1.2.3.-4", "+1.2.3.4", "1.2.3.255a", "\u0661.2.3.4",
            "1.2.3.00", "300.2.3.4"})
    void rejectsNonLiteralOrLegacyAddresses(String text) {
        assertTrue(IpPrefix.parseAddress(text).isEmpty(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0", "10.0.0.0/8/8", "::/129", "10.0.0.0/",
            "10.0.0.0/+8", "10.0.0.0/8 ", "10.0.0.0/1000", "10.0.0.0/\u0668", "::/0129"})
    void rejectsBadPrefixes(String text) {
        assertTrue(IpPrefix.parse(text).isEmpty(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "1.2.3.4", "10.0.0.1", "192.168.100.10", "9.99.199.249", "250.251.252.253"})
    void parsesEveryDottedQuadAsItsFourOctets(String text) {
        java.net.InetAddress address = IpPrefix.parseAddress(text).orElseThrow();
        assertTrue(address instanceof java.net.Inet4Address);
        assertEquals(text, address.getHostAddress());
        assertEquals(text + "/32", p(text + "/32").toString());
        assertEquals(0, p(text + "/0").prefixLength());
    }

    @Test
    void networkAndHostBits() {
        assertTrue(p("10.0.0.1/8").hasHostBits());
        assertEquals("10.0.0.0/8", p("10.0.0.1/8").network().toString());
        assertFalse(p("10.0.0.0/8").hasHostBits());
        assertEquals("2001:db8::/32", p("2001:db8::1/32").network().toString());
    }

    @Test
    void containsOverlapsAndBroadcast() {
        IpPrefix subnet = p("192.168.100.10/24");
        assertTrue(subnet.contains(IpPrefix.parseAddress("192.168.100.1").orElseThrow()));
        assertFalse(subnet.contains(IpPrefix.parseAddress("192.168.101.1").orElseThrow()));
        assertFalse(subnet.contains(IpPrefix.parseAddress("::1").orElseThrow()));
        assertTrue(p("10.0.0.0/8").overlaps(p("10.1.0.0/16")));
        assertFalse(p("10.0.0.0/8").overlaps(p("11.0.0.0/8")));
        assertFalse(p("10.0.0.0/8").overlaps(p("::/0")));
        assertEquals("192.168.100.255", IpPrefix.format(subnet.broadcast().orElseThrow()));
        assertTrue(p("10.0.0.0/31").broadcast().isEmpty());
    }

    @Test
    void ipv6IsFormattedCanonically() {
        assertEquals("2001:db8::1", IpPrefix.format(IpPrefix.parseAddress("2001:0db8:0:0:0:0:0:1").orElseThrow()));
        assertEquals("::", IpPrefix.format(IpPrefix.parseAddress("::").orElseThrow()));
        assertEquals("fe80::1:0:0:1", IpPrefix.format(IpPrefix.parseAddress("fe80:0:0:0:1:0:0:1").orElseThrow()));
        assertEquals("2001:db8:0:1:1:1:1:1", IpPrefix.format(IpPrefix.parseAddress("2001:db8:0:1:1:1:1:1").orElseThrow()));
    }
}
