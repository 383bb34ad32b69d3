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

    /** Masking, host bits, containment, overlap, equality and order against integer arithmetic, random IPv4 and IPv6. */
    @Test
    void prefixArithmeticAgreesWithIntegerArithmetic() throws Exception {
        java.util.Random random = new java.util.Random(20261205);
        for (int n = 0; n < 20_000; n++) {
            int length = random.nextBoolean() ? 4 : 16;
            int bits = length * 8;
            byte[] a = new byte[length];
            random.nextBytes(a);
            byte[] b = a.clone();
            for (int bit = random.nextInt(bits + 1); bit < bits; bit++) { // b shares a random prefix with a
                if (random.nextBoolean()) {
                    b[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
                }
            }
            java.net.InetAddress addressA = java.net.InetAddress.getByAddress(a);
            java.net.InetAddress addressB = java.net.InetAddress.getByAddress(b);
            int la = random.nextInt(bits + 1);
            int lb = random.nextInt(bits + 1);
            IpPrefix pa = new IpPrefix(addressA, la);
            IpPrefix pb = new IpPrefix(addressB, lb);
            java.math.BigInteger ia = new java.math.BigInteger(1, a);
            java.math.BigInteger ib = new java.math.BigInteger(1, b);
            java.math.BigInteger networkA = ia.shiftRight(bits - la).shiftLeft(bits - la);
            String where = pa + " " + pb;
            assertEquals(networkA, IpPrefix.toInteger(pa.network().address()), where);
            assertEquals(la, pa.network().prefixLength(), where);
            assertEquals(!networkA.equals(ia), pa.hasHostBits(), where);
            assertEquals(ia.shiftRight(bits - la).equals(ib.shiftRight(bits - la)), pa.contains(addressB), where);
            int shorter = Math.min(la, lb);
            assertEquals(ia.shiftRight(bits - shorter).equals(ib.shiftRight(bits - shorter)), pa.overlaps(pb), where);
            assertEquals(pa.overlaps(pb), pb.overlaps(pa), where);
            IpPrefix same = new IpPrefix(java.net.InetAddress.getByAddress(a.clone()), la);
            assertEquals(pa, same, where);
            assertEquals(pa.hashCode(), same.hashCode(), where);
            assertEquals(ia.equals(ib) && la == lb, pa.equals(pb), where);
            assertEquals(Integer.signum(ia.compareTo(ib)), Integer.signum(IpPrefix.compare(addressA, addressB)), where);
        }
        assertTrue(IpPrefix.compare(p("255.255.255.255/32").address(), p("::/0").address()) < 0, "IPv4 before IPv6");
    }
}
