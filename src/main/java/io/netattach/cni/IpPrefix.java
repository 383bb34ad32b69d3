package io.netattach.cni;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An IP address with a prefix length ({@code 192.168.100.10/24}), parsed strictly and without any
 * name lookup. The address keeps its host bits; {@link #network()} clears them.
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    public IpPrefix {
        if (prefixLength < 0 || prefixLength > bits(address)) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range");
        }
    }

    /** Parses a literal IPv4 (dotted quad only) or IPv6 address; no DNS, no legacy forms such as {@code 10.1}. */
    public static Optional<InetAddress> parseAddress(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            byte[] quad = dottedQuad(text);
            if (quad == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(InetAddress.getByAddress(quad)); // 4 bytes: an Inet4Address, no lookup
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // only for a length other than 4 or 16
            }
        }
        if (text.indexOf('%') >= 0 || text.startsWith("[")) {
            return Optional.empty(); // zone ids and brackets are not CNI address syntax
        }
        try {
            InetAddress address = Inet6Address.ofLiteral(text);
            return Optional.of(address);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Parses {@code ADDRESS/LENGTH}. */
    public static Optional<IpPrefix> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        int length = decimal(text, slash + 1, text.length(), 128);
        if (length < 0) {
            return Optional.empty();
        }
        Optional<InetAddress> address = parseAddress(text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        if (length > bits(address.get())) {
            return Optional.empty();
        }
        return Optional.of(new IpPrefix(address.get(), length));
    }

    /**
     * The four bytes of a dotted quad, or null: exactly four decimal octets 0-255 of ASCII digits, no
     * leading zeros ({@code 010} is octal to some tools and decimal to others), nothing else.
     */
    private static byte[] dottedQuad(String text) {
        byte[] quad = new byte[4];
        int start = 0;
        for (int i = 0; i < 4; i++) {
            int end = i < 3 ? text.indexOf('.', start) : text.length();
            if (end < 0) {
                return null;
            }
            int octet = decimal(text, start, end, 255);
            if (octet < 0) {
                return null;
            }
            quad[i] = (byte) octet;
            start = end + 1;
        }
        return quad;
    }

    /**
     * The decimal number in {@code text[from, to)}, or -1 unless it is 1 to 3 ASCII digits without a
     * leading zero (a lone 0 is fine) and at most {@code max}.
     */
    private static int decimal(String text, int from, int to, int max) {
        int length = to - from;
        if (length < 1 || length > 3 || (length > 1 && text.charAt(from) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    public static int bits(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public int family() {
        return isIpv4() ? 4 : 6;
    }

    /** The prefix with host bits cleared ({@code 10.0.0.1/8} -> {@code 10.0.0.0/8}). */
    public IpPrefix network() {
        return new IpPrefix(mask(address, prefixLength), prefixLength);
    }

    /** Whether host bits are set (the address is not the network address of its prefix). */
    public boolean hasHostBits() {
        byte[] b = address.getAddress();
        int i = prefixLength >>> 3;
        int rest = prefixLength & 7;
        if (rest != 0 && (b[i++] & (0xff >>> rest)) != 0) {
            return true;
        }
        for (; i < b.length; i++) {
            if (b[i] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code other} lies inside this prefix (same family). */
    public boolean contains(InetAddress other) {
        if (bits(other) != bits(address)) {
            return false;
        }
        return samePrefix(address.getAddress(), other.getAddress(), prefixLength);
    }

    /** Whether the two prefixes share any address. */
    public boolean overlaps(IpPrefix other) {
        if (isIpv4() != other.isIpv4()) {
            return false;
        }
        return samePrefix(address.getAddress(), other.address.getAddress(), Math.min(prefixLength, other.prefixLength));
    }

    /** Written out: the record's generated equality goes through method handles, which hot plan checks call often. */
    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && prefixLength == p.prefixLength && address.equals(p.address);
    }

    @Override
    public int hashCode() {
        return 31 * address.hashCode() + prefixLength;
    }

    /** The IPv4 broadcast address of this prefix, if IPv4 and shorter than /31. */
    public Optional<InetAddress> broadcast() {
        if (!isIpv4() || prefixLength >= 31) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 32; i++) {
            if (i >= prefixLength) {
                b[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return Optional.of(toAddress(b));
    }

    /** Address text without host bits stripped, as in CNI: {@code 192.168.100.10/24}. */
    @Override
    public String toString() {
        return format(address) + "/" + prefixLength;
    }

    /** Canonical text of an address: dotted quad, or RFC 5952 compressed IPv6. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength && j - i > 1) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] b = address.getAddress();
        int i = prefixLength >>> 3;
        int rest = prefixLength & 7;
        if (rest != 0) {
            b[i++] &= (byte) (0xff00 >>> rest);
        }
        for (; i < b.length; i++) {
            b[i] = 0;
        }
        return toAddress(b);
    }

    /** Whether the first {@code bits} bits of two addresses of one family are equal. */
    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        int full = bits >>> 3;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits & 7;
        return rest == 0 || ((a[full] ^ b[full]) & (0xff00 >>> rest) & 0xff) == 0;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Orders addresses as unsigned integers, IPv4 before IPv6 (as {@link #toInteger} would, without allocating one). */
    public static int compare(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        return x.length != y.length ? Integer.compare(x.length, y.length) : java.util.Arrays.compareUnsigned(x, y);
    }

    /** The address as an unsigned integer (for ordering and arithmetic). */
    public static BigInteger toInteger(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }
}
