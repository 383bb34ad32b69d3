package io.netattach.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one netlink request: the 16-byte {@code nlmsghdr}, a fixed family header
 * ({@code ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}, {@code rtgenmsg}) and attributes, each padded
 * to 4 bytes; nested attributes via {@link #beginNested}/{@link #endNested}. Host byte order.
 * {@code nlmsg_len} is filled in by {@link #build}; the sequence number and port id too.
 */
public final class MessageBuilder {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    public MessageBuilder(int type, int flags) {
        buf.putInt(0);               // nlmsg_len, patched in build()
        buf.putShort((short) type);  // nlmsg_type
        buf.putShort((short) flags); // nlmsg_flags
        buf.putInt(0);               // nlmsg_seq, patched in build()
        buf.putInt(0);               // nlmsg_pid
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    private void pad() {
        int padded = Nl.align(buf.position());
        ensure(padded - buf.position());
        while (buf.position() < padded) {
            buf.put((byte) 0);
        }
    }

    /** {@code struct ifinfomsg}: family, pad, type, index, flags, change. */
    public MessageBuilder ifinfomsg(int family, int type, int index, int flags, int change) {
        ensure(Nl.IFINFOMSG_LEN);
        buf.put((byte) family).put((byte) 0).putShort((short) type).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** {@code struct ifaddrmsg}: family, prefixlen, flags, scope, index. */
    public MessageBuilder ifaddrmsg(int family, int prefixLength, int flags, int scope, int index) {
        ensure(Nl.IFADDRMSG_LEN);
        buf.put((byte) family).put((byte) prefixLength).put((byte) flags).put((byte) scope).putInt(index);
        return this;
    }

    /** {@code struct rtmsg}: family, dst_len, src_len, tos, table, protocol, scope, type, flags. */
    public MessageBuilder rtmsg(int family, int dstLength, int srcLength, int tos, int table, int protocol,
                                int scope, int type, int flags) {
        ensure(Nl.RTMSG_LEN);
        buf.put((byte) family).put((byte) dstLength).put((byte) srcLength).put((byte) tos).put((byte) table)
                .put((byte) protocol).put((byte) scope).put((byte) type).putInt(flags);
        return this;
    }

    /** {@code struct rtgenmsg}: family, padded to 4 bytes. */
    public MessageBuilder rtgenmsg(int family) {
        ensure(4);
        buf.put((byte) family);
        pad();
        return this;
    }

    public MessageBuilder attr(int type, byte[] payload) {
        int len = Nl.NLA_HDRLEN + payload.length;
        ensure(Nl.align(len));
        buf.putShort((short) len).putShort((short) type).put(payload);
        pad();
        return this;
    }

    public MessageBuilder attrU32(int type, int value) {
        ensure(8);
        buf.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    public MessageBuilder attrU16(int type, int value) {
        ensure(8);
        buf.putShort((short) 6).putShort((short) type).putShort((short) value);
        pad();
        return this;
    }

    public MessageBuilder attrU8(int type, int value) {
        ensure(8);
        buf.putShort((short) 5).putShort((short) type).put((byte) value);
        pad();
        return this;
    }

    /** A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND). */
    public MessageBuilder attrString(int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(b, b.length + 1));
    }

    /** Starts a nested attribute; returns its offset for {@link #endNested}. */
    public int beginNested(int type) {
        ensure(4);
        int start = buf.position();
        buf.putShort((short) 0).putShort((short) type);
        return start;
    }

    public MessageBuilder endNested(int start) {
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** Starts a raw region (e.g. the peer ifinfomsg inside VETH_INFO_PEER); alias of beginNested. */
    public int position() {
        return buf.position();
    }

    /** The encoded message with {@code nlmsg_len}, {@code nlmsg_seq} and {@code nlmsg_pid} set. */
    public byte[] build(int seq, int pid) {
        buf.putInt(0, buf.position());
        buf.putInt(8, seq);
        buf.putInt(12, pid);
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
