package io.netattach.fuzz;

import io.netattach.cni.IpPrefix;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IpPrefix}: strict parsing never throws; generated prefixes round-trip and obey set algebra. */
class IpPrefixFuzzTest {

    static IpPrefix prefix(Random r) {
        byte[] b = new byte[r.nextBoolean() ? 4 : 16];
        r.nextBytes(b);
        if (r.nextInt(4) == 0) {
            // many zero groups, to exercise IPv6 "::" compression
            for (int i = r.nextInt(b.length); i < b.length && r.nextInt(5) != 0; i++) {
                b[i] = 0;
            }
        }
        try {
            InetAddress a = InetAddress.getByAddress(b);
            return new IpPrefix(a, r.nextInt(IpPrefix.bits(a) + 1));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static String addressish(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> prefix(r).toString();
            case 1 -> Gen.mutateText(r, prefix(r).toString());
            case 2 -> Gen.mutateText(r, Gen.pick(r, java.util.List.of("192.168.100.10/24", "::ffff:1.2.3.4/120", "fe80::1%eth0/64",
                    "[::1]/128", "1.2.3.4/032", "10.1/8", "0x7f.1/8", "::/0", "1::2::3/64", "1.2.3.4/33")));
            case 3 -> Gen.text(r, 50);
            default -> Gen.jsonish(r, 6);
        };
    }

    @Test
    void parsingArbitraryTextNeverThrows() {
        Fuzz.forAll("ipprefix.arbitrary", 2000, IpPrefixFuzzTest::addressish, text -> {
            Optional<IpPrefix> p = IpPrefix.parse(text);
            IpPrefix.parseAddress(text);
            // Whatever parses has a canonical form that parses to the same value, and is stable.
            p.ifPresent(x -> {
                assertEquals(Optional.of(x), IpPrefix.parse(x.toString()), "canonical form of " + text);
                assertEquals(x.toString(), IpPrefix.parse(x.toString()).orElseThrow().toString());
            });
        });
    }

    @Test
    void generatedPrefixesRoundTripAndObeySetAlgebra() {
        Fuzz.forAll("ipprefix.algebra", 2000, (Random r) -> new IpPrefix[] {prefix(r), prefix(r)}, pair -> {
            IpPrefix a = pair[0];
            IpPrefix b = pair[1];
            assertEquals(Optional.of(a), IpPrefix.parse(a.toString()), a.toString());
            assertEquals(Optional.of(a.address()), IpPrefix.parseAddress(IpPrefix.format(a.address())));
            IpPrefix net = a.network();
            assertFalse(net.hasHostBits());
            assertEquals(net, net.network());
            assertTrue(a.contains(a.address()));
            assertTrue(net.contains(a.address()));
            assertTrue(a.overlaps(a));
            assertEquals(a.overlaps(b), b.overlaps(a));
            if (a.isIpv4() == b.isIpv4() && a.contains(b.address()) && b.prefixLength() >= a.prefixLength()) {
                assertTrue(a.overlaps(b));
            }
            a.broadcast().ifPresent(bc -> assertTrue(a.contains(bc)));
            assertEquals(IpPrefix.toInteger(net.address()).signum() >= 0, true);
        });
    }
}
