package io.netattach.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A NETLINK_ROUTE socket through raw syscalls: {@code socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC)},
 * {@code NETLINK_EXT_ACK} and {@code NETLINK_CAP_ACK} on, bound to an auto-assigned port. The socket
 * belongs to the network namespace of the thread that opened it, and keeps it for its lifetime, so
 * it may be opened on a namespace thread and used from another. Native memory is only held for the
 * duration of one call (confined arenas), so nothing is left for the GC or a shared-arena close.
 */
public final class NetlinkSocket implements Transport {
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final int fd;
    private final int portId;
    private boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
            one.set(ValueLayout.JAVA_INT, 0, 1);
            try {
                Syscalls.call("setsockopt NETLINK_EXT_ACK", Syscalls.NR.setsockopt(), fd, Nl.SOL_NETLINK,
                        Nl.NETLINK_EXT_ACK, one.address(), 4, 0);
            } catch (LinuxException ignored) {
                // kernels before 4.12: errors come without extended ack text
            }
            try {
                Syscalls.call("setsockopt NETLINK_CAP_ACK", Syscalls.NR.setsockopt(), fd, Nl.SOL_NETLINK,
                        Nl.NETLINK_CAP_ACK, one.address(), 4, 0);
            } catch (LinuxException ignored) {
                // errors then echo the whole request, which the decoder skips
            }
            MemorySegment local = sockaddrNl(arena);
            Syscalls.call("bind", Syscalls.NR.bind(), fd, local.address(), 12);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 12);
            Syscalls.call("getsockname", Syscalls.NR.getsockname(), fd, local.address(), length.address());
            this.portId = local.get(ValueLayout.JAVA_INT, 4);
        }
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static NetlinkSocket open() {
        int fd = (int) Syscalls.call("socket", Syscalls.NR.socket(), Nl.AF_NETLINK, Nl.SOCK_RAW | Nl.SOCK_CLOEXEC,
                Nl.NETLINK_ROUTE);
        try {
            return new NetlinkSocket(fd);
        } catch (RuntimeException e) {
            Syscalls.close(fd);
            throw e;
        }
    }

    /** {@code struct sockaddr_nl} for the kernel (pid 0, no groups). */
    private static MemorySegment sockaddrNl(Arena arena) {
        MemorySegment sa = arena.allocate(12, 4);
        sa.set(ValueLayout.JAVA_SHORT, 0, (short) Nl.AF_NETLINK);
        return sa;
    }

    @Override
    public synchronized void send(byte[] message) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = a.allocate(message.length, 8);
            MemorySegment.copy(message, 0, m, ValueLayout.JAVA_BYTE, 0, message.length);
            MemorySegment kernel = sockaddrNl(a);
            Syscalls.call("sendto", Syscalls.NR.sendto(), fd, m.address(), message.length, 0, kernel.address(), 12);
        }
    }

    @Override
    public synchronized ByteBuffer receive() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buffer = a.allocate(RECEIVE_BUFFER, 8);
            long n = Syscalls.call("recvfrom", Syscalls.NR.recvfrom(), fd, buffer.address(), RECEIVE_BUFFER, 0, 0, 0);
            byte[] copy = new byte[(int) n];
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, copy, 0, (int) n);
            return ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Syscalls.close(fd);
        }
    }
}
