package io.netattach.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Raw Linux system calls through a <em>single</em> FFM downcall handle on libc's variadic
 * {@code long syscall(long number, ...)}, with errno captured by
 * {@code Linker.Option.captureCallState("errno")}. Every distinct downcall signature costs several
 * milliseconds of start-up (DESIGN.md), so socket, bind, sendto, recvfrom, setsockopt, close,
 * openat, fstatfs, setns and gettid all share this one handle. Arguments are passed as longs
 * (pointers as {@link MemorySegment#address()}).
 *
 * <p>Native-image: the downcall is registered in
 * {@code META-INF/native-image/io.netattach/netattach/reachability-metadata.json}.
 */
public final class Syscalls {

    /** Syscall numbers of the running architecture (x86_64 or aarch64). */
    public record Numbers(int read, int write, int close, int socket, int bind, int sendto, int recvfrom,
                          int setsockopt, int getsockname, int openat, int fstatfs, int setns, int gettid) {
    }

    private static final Numbers X86_64 = new Numbers(0, 1, 3, 41, 49, 44, 45, 54, 51, 257, 138, 308, 186);
    private static final Numbers AARCH64 = new Numbers(63, 64, 57, 198, 200, 206, 207, 208, 204, 56, 44, 268, 178);

    public static final Numbers NR = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> X86_64;
        case "aarch64", "arm64" -> AARCH64;
        default -> X86_64; // fails loudly below when actually used on another architecture
    };

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SYSCALL = syscallHandle();

    /** libc's variadic {@code syscall()}, capturing errno (a restricted method: the launchers and the jar enable native access). */
    @SuppressWarnings("restricted")
    private static MethodHandle syscallHandle() {
        Linker linker = Linker.nativeLinker();
        MemorySegment address = linker.defaultLookup().find("syscall")
                .orElseThrow(() -> new UnsatisfiedLinkError("libc syscall() not found"));
        ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
        return linker.downcallHandle(address,
                FunctionDescriptor.of(l, l, l, l, l, l, l, l),
                Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }

    private static final ThreadLocal<MemorySegment> CAPTURE_SEGMENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private Syscalls() {
    }

    /**
     * Calls syscall {@code nr}; returns its non-negative result or throws {@link LinuxException}
     * naming {@code operation}. EINTR is retried.
     */
    public static long call(String operation, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment capture = CAPTURE_SEGMENT.get();
        while (true) {
            long r;
            try {
                r = (long) SYSCALL.invokeExact(capture, nr, a1, a2, a3, a4, a5, a6);
            } catch (Throwable t) {
                throw new IllegalStateException("syscall downcall failed", t);
            }
            if (r != -1) {
                return r;
            }
            int errno = (int) ERRNO.get(capture, 0L);
            if (errno != Errno.EINTR) {
                throw new LinuxException(operation, errno);
            }
        }
    }

    public static long call(String operation, long nr, long a1, long a2, long a3) {
        return call(operation, nr, a1, a2, a3, 0, 0, 0);
    }

    public static void close(int fd) {
        try {
            call("close", NR.close(), fd, 0, 0);
        } catch (LinuxException ignored) {
            // close errors leave nothing to undo
        }
    }

    /** openat(AT_FDCWD, path, flags); returns the fd. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path);
            return (int) call("open " + path, NR.openat(), AT_FDCWD, p.address(), flags | O_CLOEXEC);
        }
    }

    /** The filesystem magic ({@code f_type}) of an open file. */
    public static long fstatfsType(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            call("fstatfs", NR.fstatfs(), fd, buf.address(), 0);
            return buf.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** setns(fd, nstype) for the calling thread. */
    public static void setns(int fd, int nstype) {
        call("setns", NR.setns(), fd, nstype, 0);
    }

    public static int gettid() {
        return (int) call("gettid", NR.gettid(), 0, 0, 0);
    }

    public static final long AT_FDCWD = -100;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;
}
