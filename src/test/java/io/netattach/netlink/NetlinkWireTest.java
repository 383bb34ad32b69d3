package io.netattach.netlink;

import io.netattach.cni.IpPrefix;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoding and decoding without root. The expected request bytes were captured from iproute2 6.1
 * with {@code strace -e trace=sendmsg -e write=3} (sequence number 0x6b0c711d), e.g.
 * {@code ip route add 10.0.0.0/8 via 192.168.100.1 dev v0 metric 100} with v0 at index 3.
 */
class NetlinkWireTest {
    private static final int SEQ = 0x6b0c711d;

    /** A transport that records what is sent and answers with queued datagrams. */
    static final class FakeTransport implements Transport {
        final List<byte[]> sent = new ArrayList<>();
        final Deque<byte[]> replies = new ArrayDeque<>();

        @Override
        public void send(byte[] message) {
            sent.add(message.clone());
        }

        @Override
        public ByteBuffer receive() {
            return ByteBuffer.wrap(replies.removeFirst()).order(ByteOrder.nativeOrder());
        }

        @Override
        public int portId() {
            return 4242;
        }

        @Override
        public void close() {
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    /** An NLMSG_ERROR message: error (negative errno or 0), echo of a 16-byte header, optional TLVs. */
    static byte[] error(int seq, int error, int flags, byte[] tlvs) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 16 + tlvs.length).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity()).putShort((short) Nl.NLMSG_ERROR).putShort((short) flags).putInt(seq).putInt(4242);
        b.putInt(error);
        b.putInt(32).putShort((short) Nl.RTM_NEWROUTE).putShort((short) 0x605).putInt(seq).putInt(0);
        b.put(tlvs);
        return b.array();
    }

    static byte[] msg(int type, int flags, int seq, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + Nl.align(payload.length)).order(ByteOrder.nativeOrder());
        b.putInt(16 + payload.length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(4242);
        b.put(payload);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static byte[] sentBy(java.util.function.Consumer<Netlink> op) {
        FakeTransport t = new FakeTransport();
        t.replies.add(error(SEQ, 0, Nl.NLM_F_CAPPED, new byte[0]));
        op.accept(new Netlink(new NetlinkConnection(t, SEQ - 1)));
        assertEquals(1, t.sent.size());
        return t.sent.get(0);
    }

    @Test
    void routeAddMatchesIproute2() {
        byte[] expected = hex("""
                3c 00 00 00 18 00 05 06  1d 71 0c 6b 00 00 00 00
                02 08 00 00 fe 03 00 01  00 00 00 00 08 00 01 00
                0a 00 00 00 08 00 05 00  c0 a8 64 01 08 00 06 00
                64 00 00 00 08 00 04 00  03 00 00 00""");
        RouteInfo r = RouteInfo.add(IpPrefix.parse("10.0.0.0/8").orElseThrow(),
                IpPrefix.parseAddress("192.168.100.1").orElseThrow(), 3).withPriority(100);
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sentBy(nl -> nl.addRoute(r))));
    }

    @Test
    void macvlanAddMatchesIproute2() {
        // ip link add link v0 name mv0 type macvlan mode bridge (v0 index 3)
        byte[] expected = hex("""
                4c 00 00 00 10 00 05 06  1d 71 0c 6b 00 00 00 00
                00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
                08 00 05 00 03 00 00 00  08 00 03 00 6d 76 30 00
                1c 00 12 00 0b 00 01 00  6d 61 63 76 6c 61 6e 00
                0c 00 02 00 08 00 01 00  04 00 00 00""");
        byte[] sent = sentBy(nl -> nl.addMacvlan(Netlink.MacvlanSpec.bridge("mv0", 3, -1)));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sent));
    }

    @Test
    void vlanAddMatchesIproute2WithPaddedU16() {
        // ip link add link v0 name v0.100 type vlan id 100
        byte[] expected = hex("""
                4c 00 00 00 10 00 05 06  1d 71 0c 6b 00 00 00 00
                00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
                08 00 05 00 03 00 00 00  0b 00 03 00 76 30 2e 31
                30 30 00 00 18 00 12 00  08 00 01 00 76 6c 61 6e
                0c 00 02 00 06 00 01 00  64 00 00 00""");
        byte[] sent = sentBy(nl -> nl.addVlan(new Netlink.VlanSpec("v0.100", 3, 100, 0, null, -1)));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sent));
    }

    @Test
    void addressAddMatchesIproute2WithBroadcast() {
        // ip addr add 10.1.2.3/16 brd + dev v1 (index 2)
        byte[] expected = hex("""
                30 00 00 00 14 00 05 06  1d 71 0c 6b 00 00 00 00
                02 10 00 00 02 00 00 00  08 00 02 00 0a 01 02 03
                08 00 01 00 0a 01 02 03  08 00 04 00 0a 01 ff ff""");
        byte[] sent = sentBy(nl -> nl.addAddress(2, IpPrefix.parse("10.1.2.3/16").orElseThrow()));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sent));
    }

    @Test
    void macvlanIntoNamespaceCarriesNetnsFdMtuAndMac() {
        // computed by hand: IFLA_LINK 7, IFLA_IFNAME "tmp1", IFLA_MTU 1400, IFLA_ADDRESS, IFLA_NET_NS_FD 9,
        // IFLA_LINKINFO{KIND "macvlan" (no NUL, as iproute2), DATA{MODE private(1)}}
        byte[] expected = hex("""
                6c 00 00 00 10 00 05 06  1d 71 0c 6b 00 00 00 00
                00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00
                08 00 05 00 07 00 00 00  09 00 03 00 74 6d 70 31
                00 00 00 00 08 00 04 00  78 05 00 00 0a 00 01 00
                02 00 00 00 00 01 00 00  08 00 1c 00 09 00 00 00
                1c 00 12 00 0b 00 01 00  6d 61 63 76 6c 61 6e 00
                0c 00 02 00 08 00 01 00  01 00 00 00""");
        byte[] sent = sentBy(nl -> nl.addMacvlan(new Netlink.MacvlanSpec("tmp1", 7, Nl.MACVLAN_MODE_PRIVATE, 1400,
                "02:00:00:00:00:01", 9)));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sent));
    }

    @Test
    void routeDeleteMatchesAnyScopeAndProtocolAndTableAbove255UsesAttribute() {
        RouteInfo r = RouteInfo.add(IpPrefix.parse("fd00::/64").orElseThrow(), null, 5).withTable(1000);
        byte[] sent = sentBy(nl -> nl.deleteRoute(r));
        byte[] expected = hex("""
                40 00 00 00 19 00 05 00  1d 71 0c 6b 00 00 00 00
                0a 40 00 00 00 00 ff 00  00 00 00 00 08 00 0f 00
                e8 03 00 00 14 00 01 00  fd 00 00 00 00 00 00 00
                00 00 00 00 00 00 00 00  08 00 04 00 05 00 00 00""");
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sent));
    }

    @Test
    void errorWithExtendedAckBecomesLinuxException() {
        FakeTransport t = new FakeTransport();
        byte[] text = "Nexthop has invalid gateway\0".getBytes();
        ByteBuffer tlv = ByteBuffer.allocate(Nl.align(4 + text.length)).order(ByteOrder.nativeOrder());
        tlv.putShort((short) (4 + text.length)).putShort((short) Nl.NLMSGERR_ATTR_MSG).put(text);
        t.replies.add(error(SEQ, -Errno.ENETUNREACH, Nl.NLM_F_CAPPED | Nl.NLM_F_ACK_TLVS, tlv.array()));
        Netlink nl = new Netlink(new NetlinkConnection(t, SEQ - 1));
        RouteInfo r = RouteInfo.add(IpPrefix.parse("10.0.0.0/8").orElseThrow(),
                IpPrefix.parseAddress("1.2.3.4").orElseThrow(), 3);
        LinuxException e = assertThrows(LinuxException.class, () -> nl.addRoute(r));
        assertEquals(Errno.ENETUNREACH, e.errno());
        assertEquals("ENETUNREACH", e.errnoName());
        assertEquals("Nexthop has invalid gateway", e.extendedAck());
        assertEquals("network is unreachable (Nexthop has invalid gateway)", e.reason());
        assertEquals("RTM_NEWROUTE 10.0.0.0/8 via 1.2.3.4: network is unreachable (Nexthop has invalid gateway)",
                e.getMessage());
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequestBeforeTheTlvs() {
        FakeTransport t = new FakeTransport();
        // NLMSG_ERROR without NLM_F_CAPPED: the original 32-byte request (header + 16 bytes) is echoed
        byte[] text = "File exists\0".getBytes();
        ByteBuffer b = ByteBuffer.allocate(16 + 4 + 32 + 4 + Nl.align(text.length)).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity()).putShort((short) Nl.NLMSG_ERROR).putShort((short) Nl.NLM_F_ACK_TLVS).putInt(SEQ)
                .putInt(0);
        b.putInt(-Errno.EEXIST);
        b.putInt(32).putShort((short) Nl.RTM_NEWLINK).putShort((short) 0x605).putInt(SEQ).putInt(0);
        b.put(new byte[16]);
        b.putShort((short) (4 + text.length)).putShort((short) Nl.NLMSGERR_ATTR_MSG).put(text);
        t.replies.add(b.array());
        Netlink nl = new Netlink(new NetlinkConnection(t, SEQ - 1));
        LinuxException e = assertThrows(LinuxException.class, () -> nl.setLinkUp(3));
        assertEquals("file exists (File exists)", e.reason());
    }

    @Test
    void missingLinkIsEmptyNotAnError() {
        FakeTransport t = new FakeTransport();
        t.replies.add(error(SEQ, -Errno.ENODEV, Nl.NLM_F_CAPPED, new byte[0]));
        assertTrue(new Netlink(new NetlinkConnection(t, SEQ - 1)).linkByName("eth9").isEmpty());
    }

    private static byte[] linkPayload(int index, String name) {
        MessageBuilder m = new MessageBuilder(0, 0).ifinfomsg(0, 1, index, Nl.IFF_UP, 0)
                .attrString(Nl.IFLA_IFNAME, name).attrU32(Nl.IFLA_MTU, 1500)
                .attr(Nl.IFLA_ADDRESS, new byte[]{2, 0, 0, 0, 0, (byte) index});
        int info = m.beginNested(Nl.IFLA_LINKINFO);
        m.attrString(Nl.IFLA_INFO_KIND, "macvlan");
        int data = m.beginNested(Nl.IFLA_INFO_DATA);
        m.attrU32(Nl.IFLA_MACVLAN_MODE, Nl.MACVLAN_MODE_BRIDGE);
        m.endNested(data);
        m.endNested(info);
        byte[] whole = m.build(0, 0);
        return java.util.Arrays.copyOfRange(whole, 16, whole.length);
    }

    @Test
    void multipartDumpAcrossDatagramsUntilDone() {
        FakeTransport t = new FakeTransport();
        t.replies.add(concat(msg(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI, SEQ, linkPayload(1, "lo")),
                msg(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI, SEQ - 5, linkPayload(9, "stale"))));
        t.replies.add(msg(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI, SEQ, linkPayload(2, "eth1")));
        t.replies.add(msg(Nl.NLMSG_DONE, Nl.NLM_F_MULTI, SEQ, new byte[4]));
        List<LinkInfo> links = new Netlink(new NetlinkConnection(t, SEQ - 1)).links();
        assertEquals(List.of("lo", "eth1"), links.stream().map(LinkInfo::name).toList());
        LinkInfo eth1 = links.get(1);
        assertEquals(2, eth1.index());
        assertEquals("macvlan", eth1.kind());
        assertEquals(Nl.MACVLAN_MODE_BRIDGE, eth1.macvlanMode());
        assertEquals("02:00:00:00:00:02", eth1.mac());
        assertTrue(eth1.isUp());
        assertNull(eth1.vlanId());
        // the dump request: RTM_GETLINK with NLM_F_REQUEST|NLM_F_DUMP
        ByteBuffer sent = ByteBuffer.wrap(t.sent.get(0)).order(ByteOrder.nativeOrder());
        assertEquals(Nl.RTM_GETLINK, sent.getShort(4));
        assertEquals(Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, sent.getShort(6));
    }

    @Test
    void interruptedDumpIsRestarted() {
        FakeTransport t = new FakeTransport();
        t.replies.add(msg(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI | Nl.NLM_F_DUMP_INTR, SEQ, linkPayload(1, "lo")));
        t.replies.add(msg(Nl.NLMSG_DONE, Nl.NLM_F_MULTI | Nl.NLM_F_DUMP_INTR, SEQ, new byte[4]));
        t.replies.add(msg(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI, SEQ + 1, linkPayload(1, "lo")));
        t.replies.add(msg(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI, SEQ + 1, linkPayload(2, "eth1")));
        t.replies.add(msg(Nl.NLMSG_DONE, Nl.NLM_F_MULTI, SEQ + 1, new byte[4]));
        List<LinkInfo> links = new Netlink(new NetlinkConnection(t, SEQ - 1)).links();
        assertEquals(2, links.size());
        assertEquals(2, t.sent.size());
    }

    @Test
    void dumpDoneWithErrorThrows() {
        FakeTransport t = new FakeTransport();
        ByteBuffer p = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(-Errno.EINVAL);
        t.replies.add(msg(Nl.NLMSG_DONE, Nl.NLM_F_MULTI, SEQ, p.array()));
        LinuxException e = assertThrows(LinuxException.class,
                () -> new Netlink(new NetlinkConnection(t, SEQ - 1)).links());
        assertEquals("RTM_GETLINK: invalid argument", e.getMessage());
    }

    @Test
    void decodesRouteWithTableAttributeAndMetrics() {
        MessageBuilder m = new MessageBuilder(0, 0).rtmsg(Nl.AF_INET, 8, 0, 0, Nl.RT_TABLE_UNSPEC, Nl.RTPROT_STATIC,
                0, Nl.RTN_UNICAST, 0).attrU32(Nl.RTA_TABLE, 1000).attr(Nl.RTA_DST, new byte[]{10, 0, 0, 0})
                .attr(Nl.RTA_GATEWAY, new byte[]{(byte) 192, (byte) 168, 100, 1}).attrU32(Nl.RTA_PRIORITY, 50)
                .attrU32(Nl.RTA_OIF, 4);
        int metrics = m.beginNested(Nl.RTA_METRICS);
        m.attrU32(Nl.RTAX_MTU, 1400);
        m.endNested(metrics);
        byte[] whole = m.build(0, 0);
        RouteInfo r = Netlink.decodeRoute(ByteBuffer.wrap(whole, 16, whole.length - 16).slice()
                .order(ByteOrder.nativeOrder()));
        assertEquals("10.0.0.0/8", r.dst().toString());
        assertEquals("192.168.100.1", IpPrefix.format(r.gateway()));
        assertEquals(1000, r.table());
        assertEquals(50, r.priority());
        assertEquals(4, r.oif());
        assertEquals(1400, r.mtu());
        assertEquals("10.0.0.0/8 via 192.168.100.1 table 1000 metric 50", r.toString());
    }

    @Test
    void defaultRouteHasZeroPrefix() {
        byte[] whole = new MessageBuilder(0, 0).rtmsg(Nl.AF_INET6, 0, 0, 0, Nl.RT_TABLE_MAIN, Nl.RTPROT_BOOT, 0,
                Nl.RTN_UNICAST, 0).attr(Nl.RTA_GATEWAY, IpPrefix.parseAddress("fd00::1").orElseThrow().getAddress())
                .build(0, 0);
        RouteInfo r = Netlink.decodeRoute(ByteBuffer.wrap(whole, 16, whole.length - 16).slice()
                .order(ByteOrder.nativeOrder()));
        assertEquals("::/0", r.dst().toString());
        assertTrue(r.isDefault());
    }

    @Test
    void errnoNamesAndMessages() {
        assertEquals("EEXIST", Errno.name(17));
        assertEquals("file exists", Errno.message(17));
        assertEquals("no such device", Errno.message(Errno.ENODEV));
        assertEquals("operation not permitted", Errno.message(Errno.EPERM));
        assertEquals("no such process", Errno.message(Errno.ESRCH));
        assertEquals("errno 4095", Errno.message(4095));
    }

    @Test
    void macParsing() {
        assertEquals("0a:58:0a:00:00:02", LinkInfo.formatMac(LinkInfo.parseMac("0A-58-0a-00-00-02").orElseThrow()));
        assertTrue(LinkInfo.parseMac("0a:58:0a:00:00").isEmpty());
    }
}
