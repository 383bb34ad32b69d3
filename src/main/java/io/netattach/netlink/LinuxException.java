package io.netattach.netlink;

/**
 * A failed system call or netlink request, carrying the errno. The message is
 * {@code "OPERATION: MESSAGE"} with the Linux message, e.g. {@code "RTM_NEWLINK: file exists"};
 * {@link #reason()} is the message alone, plus the kernel's extended-ack text when it sent one.
 */
public class LinuxException extends RuntimeException {
    private final int errno;
    private final String operation;
    private final String extendedAck;

    public LinuxException(String operation, int errno) {
        this(operation, errno, "");
    }

    public LinuxException(String operation, int errno, String extendedAck) {
        super(operation + ": " + reason(errno, extendedAck));
        this.errno = errno;
        this.operation = operation;
        this.extendedAck = extendedAck == null ? "" : extendedAck;
    }

    private static String reason(int errno, String extendedAck) {
        return extendedAck == null || extendedAck.isEmpty()
                ? Errno.message(errno)
                : Errno.message(errno) + " (" + extendedAck + ")";
    }

    public int errno() {
        return errno;
    }

    /** Symbolic errno name, e.g. {@code EEXIST}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    public String operation() {
        return operation;
    }

    /** The kernel's extended-ack message (NLMSGERR_ATTR_MSG), empty when none. */
    public String extendedAck() {
        return extendedAck;
    }

    /** The Linux message, with the extended ack in parentheses when present: {@code file exists}. */
    public String reason() {
        return reason(errno, extendedAck);
    }
}
