package io.netattach.netlink;

import java.util.Map;

/**
 * Linux errno numbers with their symbolic names and messages (the lower-case glibc strerror text
 * that Go's syscall package also prints, e.g. EEXIST "file exists").
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ERANGE = 34;
    public static final int EPROTO = 71;
    public static final int ENOTSUP = 95;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ENOBUFS = 105;
    public static final int EHOSTUNREACH = 113;

    private record Entry(String name, String message) {
    }

    private static final Map<Integer, Entry> TABLE = Map.ofEntries(
            Map.entry(1, new Entry("EPERM", "operation not permitted")),
            Map.entry(2, new Entry("ENOENT", "no such file or directory")),
            Map.entry(3, new Entry("ESRCH", "no such process")),
            Map.entry(4, new Entry("EINTR", "interrupted system call")),
            Map.entry(5, new Entry("EIO", "input/output error")),
            Map.entry(6, new Entry("ENXIO", "no such device or address")),
            Map.entry(7, new Entry("E2BIG", "argument list too long")),
            Map.entry(9, new Entry("EBADF", "bad file descriptor")),
            Map.entry(11, new Entry("EAGAIN", "resource temporarily unavailable")),
            Map.entry(12, new Entry("ENOMEM", "cannot allocate memory")),
            Map.entry(13, new Entry("EACCES", "permission denied")),
            Map.entry(14, new Entry("EFAULT", "bad address")),
            Map.entry(16, new Entry("EBUSY", "device or resource busy")),
            Map.entry(17, new Entry("EEXIST", "file exists")),
            Map.entry(18, new Entry("EXDEV", "invalid cross-device link")),
            Map.entry(19, new Entry("ENODEV", "no such device")),
            Map.entry(20, new Entry("ENOTDIR", "not a directory")),
            Map.entry(21, new Entry("EISDIR", "is a directory")),
            Map.entry(22, new Entry("EINVAL", "invalid argument")),
            Map.entry(23, new Entry("ENFILE", "too many open files in system")),
            Map.entry(24, new Entry("EMFILE", "too many open files")),
            Map.entry(28, new Entry("ENOSPC", "no space left on device")),
            Map.entry(30, new Entry("EROFS", "read-only file system")),
            Map.entry(34, new Entry("ERANGE", "numerical result out of range")),
            Map.entry(36, new Entry("ENAMETOOLONG", "file name too long")),
            Map.entry(38, new Entry("ENOSYS", "function not implemented")),
            Map.entry(39, new Entry("ENOTEMPTY", "directory not empty")),
            Map.entry(61, new Entry("ENODATA", "no data available")),
            Map.entry(67, new Entry("ENOLINK", "link has been severed")),
            Map.entry(71, new Entry("EPROTO", "protocol error")),
            Map.entry(75, new Entry("EOVERFLOW", "value too large for defined data type")),
            Map.entry(90, new Entry("EMSGSIZE", "message too long")),
            Map.entry(92, new Entry("ENOPROTOOPT", "protocol not available")),
            Map.entry(93, new Entry("EPROTONOSUPPORT", "protocol not supported")),
            Map.entry(95, new Entry("EOPNOTSUPP", "operation not supported")),
            Map.entry(97, new Entry("EAFNOSUPPORT", "address family not supported by protocol")),
            Map.entry(98, new Entry("EADDRINUSE", "address already in use")),
            Map.entry(99, new Entry("EADDRNOTAVAIL", "cannot assign requested address")),
            Map.entry(100, new Entry("ENETDOWN", "network is down")),
            Map.entry(101, new Entry("ENETUNREACH", "network is unreachable")),
            Map.entry(105, new Entry("ENOBUFS", "no buffer space available")),
            Map.entry(107, new Entry("ENOTCONN", "transport endpoint is not connected")),
            Map.entry(110, new Entry("ETIMEDOUT", "connection timed out")),
            Map.entry(111, new Entry("ECONNREFUSED", "connection refused")),
            Map.entry(113, new Entry("EHOSTUNREACH", "no route to host")),
            Map.entry(114, new Entry("EALREADY", "operation already in progress")));

    private Errno() {
    }

    /** The symbolic name, e.g. {@code EEXIST}; {@code errno N} when unknown. */
    public static String name(int errno) {
        Entry e = TABLE.get(errno);
        return e == null ? "errno " + errno : e.name();
    }

    /** The message, e.g. {@code file exists}; {@code errno N} when unknown. */
    public static String message(int errno) {
        Entry e = TABLE.get(errno);
        return e == null ? "errno " + errno : e.message();
    }
}
