package io.netattach.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Request/response over a {@link Transport}: sequence numbers, {@code NLM_F_ACK} requests answered
 * by an ACK or an {@code NLMSG_ERROR} (with the extended-ack text), and multipart dumps read until
 * {@code NLMSG_DONE}, restarted when the kernel flags {@code NLM_F_DUMP_INTR} (the table changed
 * during the dump). Messages with another sequence number (stale replies) are skipped.
 */
public final class NetlinkConnection implements AutoCloseable {
    /** How often a dump is restarted after NLM_F_DUMP_INTR before giving up with EINTR. */
    public static final int DUMP_RETRIES = 10;

    private final Transport transport;
    private int seq;

    public NetlinkConnection(Transport transport, int initialSeq) {
        this.transport = transport;
        this.seq = initialSeq;
    }

    public NetlinkConnection(Transport transport) {
        this(transport, (int) (System.nanoTime() & 0x3fffffff));
    }

    /**
     * Sends a request with NLM_F_REQUEST|NLM_F_ACK and waits for the ACK. Returns the messages that
     * came before the ACK (e.g. the link of an RTM_GETLINK). Throws {@link LinuxException} for an
     * NLMSG_ERROR, named with {@code operation}.
     */
    public synchronized List<Message> execute(MessageBuilder request, String operation) {
        int s = ++seq;
        transport.send(withFlags(request.build(s, 0), Nl.NLM_F_REQUEST | Nl.NLM_F_ACK));
        List<Message> replies = new ArrayList<>();
        while (true) {
            for (Message m : parse(transport.receive(), operation)) {
                if (m.seq() != s) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    int error = errorCode(m, operation);
                    if (error == 0) {
                        return replies;
                    }
                    throw new LinuxException(operation, -error, extendedAck(m));
                }
                if (m.type() == Nl.NLMSG_DONE) {
                    return replies;
                }
                if (m.type() != Nl.NLMSG_NOOP) {
                    replies.add(m);
                }
            }
        }
    }

    /** Sends a dump request (NLM_F_REQUEST|NLM_F_DUMP) and returns every message until NLMSG_DONE. */
    public synchronized List<Message> dump(MessageBuilder request, String operation) {
        for (int attempt = 0; attempt <= DUMP_RETRIES; attempt++) {
            int s = ++seq;
            transport.send(withFlags(request.build(s, 0), Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP));
            List<Message> out = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                for (Message m : parse(transport.receive(), operation)) {
                    if (m.seq() != s) {
                        continue;
                    }
                    if ((m.flags() & Nl.NLM_F_DUMP_INTR) != 0) {
                        interrupted = true;
                    }
                    if (m.type() == Nl.NLMSG_DONE) {
                        int error = m.payload().remaining() >= 4 ? m.payload().getInt(0) : 0;
                        if (error < 0 && error != Integer.MIN_VALUE) {
                            throw new LinuxException(operation, -error, doneExtendedAck(m));
                        }
                        done = true;
                        break;
                    }
                    if (m.type() == Nl.NLMSG_ERROR) {
                        int error = errorCode(m, operation);
                        if (error == 0) {
                            done = true;
                            break;
                        }
                        throw new LinuxException(operation, -error, extendedAck(m));
                    }
                    if (m.type() != Nl.NLMSG_NOOP) {
                        out.add(m);
                    }
                }
            }
            if (!interrupted) {
                return out;
            }
        }
        throw new LinuxException(operation + " (dump interrupted " + (DUMP_RETRIES + 1) + " times)", Errno.EINTR);
    }

    /** The messages of a reply datagram; a malformed one (which the kernel never sends) is EPROTO, not a crash. */
    static List<Message> parse(ByteBuffer datagram, String operation) {
        try {
            return Message.parseAll(datagram);
        } catch (IllegalArgumentException e) {
            throw malformed(operation, e.getMessage());
        }
    }

    /** The (negative) errno of an NLMSG_ERROR, 0 for an ACK; a truncated or impossible one is EPROTO. */
    private static int errorCode(Message m, String operation) {
        if (m.payload().remaining() < 4) {
            throw malformed(operation, "NLMSG_ERROR of " + m.payload().remaining() + " bytes");
        }
        int error = m.payload().getInt(0);
        if (error > 0 || error == Integer.MIN_VALUE) {
            throw malformed(operation, "NLMSG_ERROR with error " + error);
        }
        return error;
    }

    /** A reply that does not follow the netlink wire format. */
    static LinuxException malformed(String operation, String what) {
        return new LinuxException(operation, Errno.EPROTO, "malformed netlink reply: " + what);
    }

    private static byte[] withFlags(byte[] message, int flags) {
        int existing = (message[6] & 0xff) | ((message[7] & 0xff) << 8);
        ByteBuffer.wrap(message).order(java.nio.ByteOrder.nativeOrder()).putShort(6, (short) (existing | flags));
        return message;
    }

    /** The NLMSGERR_ATTR_MSG text of an NLMSG_ERROR, empty when none. */
    static String extendedAck(Message m) {
        if ((m.flags() & Nl.NLM_F_ACK_TLVS) == 0) {
            return "";
        }
        ByteBuffer p = m.payload();
        if (p.limit() < 4 + Nl.NLMSG_HDRLEN) {
            return "";
        }
        int offset = 4 + Nl.NLMSG_HDRLEN;
        if ((m.flags() & Nl.NLM_F_CAPPED) == 0) {
            int echoed = p.getInt(4); // the whole original request is echoed
            if (echoed < Nl.NLMSG_HDRLEN || echoed > p.limit() - 4) {
                return "";
            }
            offset = 4 + Nl.align(echoed);
        }
        if (offset > p.limit()) {
            return "";
        }
        return Attributes.parse(p, offset).string(Nl.NLMSGERR_ATTR_MSG).orElse("");
    }

    private static String doneExtendedAck(Message m) {
        if ((m.flags() & Nl.NLM_F_ACK_TLVS) == 0 || m.payload().limit() < 4) {
            return "";
        }
        return Attributes.parse(m.payload(), 4).string(Nl.NLMSGERR_ATTR_MSG).orElse("");
    }

    public int portId() {
        return transport.portId();
    }

    @Override
    public void close() {
        transport.close();
    }
}
