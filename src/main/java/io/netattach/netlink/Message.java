package io.netattach.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded netlink message: header fields and the payload (family header + attributes) as a
 * read-only host-order buffer positioned at 0.
 */
public record Message(int type, int flags, int seq, int pid, ByteBuffer payload) {

    /**
     * Splits a datagram into messages. Throws {@link IllegalArgumentException} on a truncated or
     * inconsistent header (which the kernel never sends).
     */
    public static List<Message> parseAll(ByteBuffer datagram) {
        ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        while (b.remaining() >= Nl.NLMSG_HDRLEN) {
            int start = b.position();
            int len = b.getInt(start);
            if (len < Nl.NLMSG_HDRLEN || len > b.remaining()) {
                throw new IllegalArgumentException("bad nlmsg_len " + len + " with " + b.remaining() + " bytes left");
            }
            int type = b.getShort(start + 4) & 0xffff;
            int flags = b.getShort(start + 6) & 0xffff;
            int seq = b.getInt(start + 8);
            int pid = b.getInt(start + 12);
            ByteBuffer payload = b.slice(start + Nl.NLMSG_HDRLEN, len - Nl.NLMSG_HDRLEN)
                    .order(ByteOrder.nativeOrder()).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            out.add(new Message(type, flags, seq, pid, payload));
            b.position(Math.min(b.limit(), start + Nl.align(len)));
        }
        return out;
    }
}
