package io.netattach.netlink;

/**
 * A network interface as RTM_NEWLINK describes it.
 *
 * @param kind         IFLA_INFO_KIND ({@code macvlan}, {@code veth}, {@code vlan}, ...), "" for none
 * @param parentIndex  IFLA_LINK (the lower device of macvlan/vlan/veth peer), 0 when none
 * @param masterIndex  IFLA_MASTER (bridge/bond), 0 when none
 * @param macvlanMode  IFLA_MACVLAN_MODE for macvlan links, null otherwise
 * @param vlanId       IFLA_VLAN_ID for vlan links, null otherwise
 */
public record LinkInfo(int index, String name, int flags, int mtu, String mac, String kind, int parentIndex,
                       int masterIndex, int operState, Integer macvlanMode, Integer vlanId) {

    public boolean isUp() {
        return (flags & Nl.IFF_UP) != 0;
    }

    /** Formats hardware address bytes as {@code aa:bb:cc:dd:ee:ff}. */
    public static String formatMac(byte[] mac) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((mac[i] >> 4) & 0xf, 16)).append(Character.forDigit(mac[i] & 0xf, 16));
        }
        return sb.toString();
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (6 octets; {@code -} also accepted); empty when malformed. */
    public static java.util.Optional<byte[]> parseMac(String text) {
        if (text == null || !text.matches("[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}")) {
            return java.util.Optional.empty();
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(text.substring(i * 3, i * 3 + 2), 16);
        }
        return java.util.Optional.of(b);
    }
}
