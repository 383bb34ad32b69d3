package io.netattach.fuzz;

import io.netattach.netlink.Attributes;
import io.netattach.netlink.Errno;
import io.netattach.netlink.LinuxException;
import io.netattach.netlink.Message;
import io.netattach.netlink.MessageBuilder;
import io.netattach.netlink.Netlink;
import io.netattach.netlink.NetlinkConnection;
import io.netattach.netlink.Nl;
import io.netattach.netlink.Transport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The netlink message decoder: random, truncated and corrupted replies to link, address and route
 * requests end in a {@link LinuxException} (a clean error the plugins report) or a decoded value,
 * never another exception and never a loop. Runs without root: the replies come from a canned transport.
 */
class NetlinkDecoderFuzzTest {

    static final int SEQ = 1000;

    /** Replies queued in advance; when they run out, receive() fails like a socket timeout would. */
    static final class CannedTransport implements Transport {
        final Deque<byte[]> replies = new ArrayDeque<>();
        int receives;

        CannedTransport(List<byte[]> datagrams) {
            replies.addAll(datagrams);
        }

        @Override
        public void send(byte[] message) {
        }

        @Override
        public ByteBuffer receive() {
            receives++;
            if (replies.isEmpty()) {
                throw new LinuxException("recvfrom", Errno.EAGAIN);
            }
            return ByteBuffer.wrap(replies.removeFirst()).order(ByteOrder.nativeOrder());
        }

        @Override
        public int portId() {
            return 1;
        }

        @Override
        public void close() {
        }
    }

    /** A well-formed reply message of {@code type} (a link, address or route) for sequence {@code seq}. */
    static byte[] validMessage(Random r, int seq) {
        MessageBuilder m;
        switch (r.nextInt(5)) {
            case 0 -> {
                m = new MessageBuilder(Nl.RTM_NEWLINK, Nl.NLM_F_MULTI).ifinfomsg(0, 1, 1 + r.nextInt(50), Nl.IFF_UP, 0)
                        .attrString(Nl.IFLA_IFNAME, "eth" + r.nextInt(9)).attrU32(Nl.IFLA_MTU, 1500)
                        .attr(Nl.IFLA_ADDRESS, new byte[] {2, 0, 0, 0, 0, 1}).attrU32(Nl.IFLA_LINK, 2).attrU8(Nl.IFLA_OPERSTATE, 6);
                int info = m.beginNested(Nl.IFLA_LINKINFO);
                m.attrString(Nl.IFLA_INFO_KIND, r.nextBoolean() ? "macvlan" : "vlan");
                int data = m.beginNested(Nl.IFLA_INFO_DATA);
                m.attrU32(Nl.IFLA_MACVLAN_MODE, 4);
                m.endNested(data);
                m.endNested(info);
            }
            case 1 -> m = new MessageBuilder(Nl.RTM_NEWADDR, Nl.NLM_F_MULTI).ifaddrmsg(Nl.AF_INET, r.nextInt(33), 0, 0, 3)
                    .attr(Nl.IFA_LOCAL, new byte[] {10, 1, 1, 2}).attr(Nl.IFA_ADDRESS, new byte[] {10, 1, 1, 2})
                    .attrString(Nl.IFA_LABEL, "eth1").attrU32(Nl.IFA_FLAGS, 0x80);
            case 2 -> {
                m = new MessageBuilder(Nl.RTM_NEWROUTE, Nl.NLM_F_MULTI).rtmsg(Nl.AF_INET, 8, 0, 0, 254, 4, 0, 1, 0)
                        .attr(Nl.RTA_DST, new byte[] {10, 0, 0, 0}).attr(Nl.RTA_GATEWAY, new byte[] {(byte) 192, (byte) 168, 100, 1})
                        .attrU32(Nl.RTA_OIF, 3).attrU32(Nl.RTA_PRIORITY, 100).attrU32(Nl.RTA_TABLE, 254);
                int metrics = m.beginNested(Nl.RTA_METRICS);
                m.attrU32(Nl.RTAX_MTU, 1400);
                m.endNested(metrics);
            }
            case 3 -> m = new MessageBuilder(Nl.NLMSG_DONE, Nl.NLM_F_MULTI).attrU32(0, 0);
            default -> {
                // NLMSG_ERROR: errno, the echoed header, maybe an extended-ack TLV
                m = new MessageBuilder(Nl.NLMSG_ERROR, r.nextBoolean() ? Nl.NLM_F_ACK_TLVS : 0);
                // errno, then the echoed request: a 16-byte header plus 4 payload bytes (nlmsg_len 20)
                byte[] err = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder()).putInt(r.nextBoolean() ? 0 : -17)
                        .putInt(20).putShort((short) Nl.RTM_NEWLINK).putShort((short) 5).putInt(seq).putInt(0).putInt(0).array();
                m = rawPayload(m, err);
                m.attrString(Nl.NLMSGERR_ATTR_MSG, "File exists");
            }
        }
        return m.build(seq, 1);
    }

    private static MessageBuilder rawPayload(MessageBuilder m, byte[] payload) {
        // MessageBuilder has no raw-bytes call: write the payload (a multiple of 8 bytes, host order
        // little-endian) as 8-byte ifaddrmsg-shaped chunks.
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        while (b.remaining() >= 8) {
            int a = b.getInt();
            int c = b.getInt();
            m.ifaddrmsg(a & 0xff, (a >>> 8) & 0xff, (a >>> 16) & 0xff, (a >>> 24) & 0xff, c);
        }
        return m;
    }

    static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        parts.forEach(b::put);
        return b.array();
    }

    /** A datagram: valid messages, then corrupted (truncated, flipped bytes, lengths changed) or random bytes. */
    static List<byte[]> replies(Random r) {
        List<byte[]> datagrams = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int d = 0; d < n; d++) {
            if (r.nextInt(6) == 0) {
                datagrams.add(Gen.bytes(r, 200));
                continue;
            }
            List<byte[]> messages = new ArrayList<>();
            int k = 1 + r.nextInt(4);
            for (int i = 0; i < k; i++) {
                messages.add(validMessage(r, r.nextInt(8) == 0 ? SEQ + 7 : SEQ + 1));
            }
            byte[] datagram = concat(messages);
            int edits = r.nextInt(4);
            for (int e = 0; e < edits && datagram.length > 0; e++) {
                int at = r.nextInt(datagram.length);
                switch (r.nextInt(4)) {
                    case 0 -> datagram = java.util.Arrays.copyOf(datagram, at);
                    case 1 -> datagram[at] ^= (byte) (1 << r.nextInt(8));
                    case 2 -> datagram[at] = (byte) r.nextInt(256);
                    default -> {
                        // set a 16-bit length-looking field to something small, zero or huge
                        if (at + 1 < datagram.length) {
                            int v = Gen.pick(r, List.of(0, 1, 3, 4, 5, 0xffff, 0x8000));
                            datagram[at] = (byte) v;
                            datagram[at + 1] = (byte) (v >>> 8);
                        }
                    }
                }
            }
            datagrams.add(datagram);
        }
        return datagrams;
    }

    static void decode(List<byte[]> replies, java.util.function.Consumer<Netlink> call) {
        CannedTransport transport = new CannedTransport(replies);
        Netlink netlink = new Netlink(new NetlinkConnection(transport, SEQ));
        try {
            call.accept(netlink);
        } catch (LinuxException e) {
            Checks.oneLineMessage(e.getMessage(), "LinuxException");
        }
        assertTrue(transport.receives <= replies.size() + 1, "read past the canned replies: " + transport.receives);
    }

    @Test
    void corruptedDumpReplies() {
        Fuzz.forAll("netlink.dump", 1500, NetlinkDecoderFuzzTest::replies, replies -> {
            decode(replies, Netlink::links);
            decode(replies, n -> n.addresses(0, Nl.AF_UNSPEC));
            decode(replies, n -> n.routes(Nl.AF_INET));
        });
    }

    @Test
    void corruptedRequestReplies() {
        Fuzz.forAll("netlink.request", 1500, NetlinkDecoderFuzzTest::replies, replies -> {
            decode(replies, n -> n.linkByName("eth1"));
            decode(replies, n -> n.setLinkUp(3));
            decode(replies, n -> n.linkByIndex(3));
        });
    }

    @Test
    void randomBytesAsDatagrams() {
        Fuzz.forAll("netlink.random-bytes", 1500, r -> Gen.bytes(r, 400), bytes -> {
            try {
                List<Message> messages = Message.parseAll(ByteBuffer.wrap(bytes));
                assertTrue(messages.size() <= bytes.length / Nl.NLMSG_HDRLEN);
            } catch (IllegalArgumentException e) {
                Checks.oneLineMessage(e.getMessage(), "IllegalArgumentException");
            }
            for (int offset = 0; offset <= Math.min(bytes.length, 24); offset += 4) {
                Attributes a = Attributes.parse(ByteBuffer.wrap(bytes), offset);
                for (int type = 0; type < 40; type++) {
                    a.u8(type);
                    a.u16(type);
                    a.u32(type);
                    a.string(type);
                    a.address(type);
                    a.nested(type).ifPresent(x -> x.string(1));
                }
            }
            decode(List.of(bytes), Netlink::links);
            decode(List.of(bytes), n -> n.routes(Nl.AF_INET6));
            decode(List.of(bytes), n -> n.addresses(0, Nl.AF_INET));
        });
    }
}
