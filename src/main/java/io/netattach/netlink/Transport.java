package io.netattach.netlink;

import java.nio.ByteBuffer;

/** Sends and receives netlink datagrams; {@link NetlinkSocket} in production, canned bytes in tests. */
public interface Transport extends AutoCloseable {

    void send(byte[] message);

    /** The next datagram (blocking), as a buffer of exactly its length. */
    ByteBuffer receive();

    /** The local port id (nl_pid) of the socket, 0 when unknown. */
    int portId();

    @Override
    void close();
}
