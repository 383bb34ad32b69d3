package io.netattach.netlink;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open network namespace file ({@code /var/run/netns/NAME}, {@code /proc/PID/ns/net}), checked to
 * be an nsfs file ({@code statfs} magic {@link #NSFS_MAGIC}). Code runs inside it with
 * {@link #run(Callable)}: setns only affects the calling thread, which enters the namespace and is
 * back in its own when {@code run} returns (virtual threads, which must never switch namespace,
 * hand the block to a fresh platform thread instead).
 *
 * <pre>{@code
 * try (Netns ns = Netns.open(request.netns());
 *      Netlink nl = ns.netlink()) {          // socket bound to the pod's namespace
 *     nl.linkByName("eth1") ...;
 *     ns.run(() -> { Sysctl.write("net/ipv4/conf/eth1/arp_notify", "1"); return null; });
 * }
 * }</pre>
 */
public final class Netns implements AutoCloseable {
    /** statfs f_type of nsfs (linux/magic.h). */
    public static final long NSFS_MAGIC = 0x6e736673L;
    /** Older kernels expose namespace files on procfs. */
    public static final long PROC_SUPER_MAGIC = 0x9fa0L;

    private final int fd;
    private final String path;
    private boolean closed;

    private Netns(int fd, String path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Opens {@code path} and verifies that it is a network namespace.
     *
     * @throws NetnsException MISSING with {@code failed to open netns "PATH": no such file or directory},
     *                        NOT_A_NETNS with {@code "PATH" is not a network namespace ...}, or FAILED
     */
    public static Netns open(String path) {
        if (path == null || path.isEmpty()) {
            throw new NetnsException(NetnsException.Kind.MISSING, "", "no netns path given", null);
        }
        int fd;
        try {
            fd = Syscalls.open(path, Syscalls.O_RDONLY);
        } catch (LinuxException e) {
            NetnsException.Kind kind = e.errno() == Errno.ENOENT ? NetnsException.Kind.MISSING
                    : NetnsException.Kind.FAILED;
            throw new NetnsException(kind, path, "failed to open netns \"" + path + "\": " + e.reason(), e);
        }
        try {
            long magic = Syscalls.fstatfsType(fd);
            if (magic != NSFS_MAGIC && magic != PROC_SUPER_MAGIC) {
                throw new NetnsException(NetnsException.Kind.NOT_A_NETNS, path, "\"" + path
                        + "\" is not a network namespace (filesystem magic 0x" + Long.toHexString(magic)
                        + ", expected nsfs 0x6e736673)", null);
            }
        } catch (RuntimeException e) {
            Syscalls.close(fd);
            if (e instanceof NetnsException ne) {
                throw ne;
            }
            throw new NetnsException(NetnsException.Kind.FAILED, path,
                    "failed to check netns \"" + path + "\": " + e.getMessage(), e);
        }
        return new Netns(fd, path);
    }

    public int fd() {
        return fd;
    }

    public String path() {
        return path;
    }

    /**
     * Runs {@code block} inside this namespace and returns its value. On a platform thread the calling
     * thread itself enters the namespace and returns to its own before this method returns (a thread
     * start per call costs far more than the two setns calls); a virtual thread, which must never
     * switch namespace (it would switch its carrier), hands the block to a fresh platform thread.
     * Exceptions of the block are rethrown (checked ones wrapped in {@link RuntimeException}).
     */
    public <T> T run(Callable<T> block) {
        if (Thread.currentThread().isVirtual()) {
            return onFreshThread(fd, path, block);
        }
        int home;
        try {
            home = Syscalls.open(THREAD_NETNS, Syscalls.O_RDONLY);
        } catch (LinuxException e) {
            return onFreshThread(fd, path, block); // no /proc/thread-self: never leave this thread outside its namespace
        }
        try {
            return runFrom(home, fd, path, block);
        } finally {
            Syscalls.close(home);
        }
    }

    /** The calling thread's own network namespace. */
    private static final String THREAD_NETNS = "/proc/thread-self/ns/net";

    /** Enters {@code fd}, runs the block, and returns to {@code home} (or fails loudly, see below). */
    private static <T> T runFrom(int home, int fd, String path, Callable<T> block) {
        try {
            Syscalls.setns(fd, Syscalls.CLONE_NEWNET);
        } catch (LinuxException e) {
            throw new NetnsException(NetnsException.Kind.FAILED, path,
                    "failed to enter netns \"" + path + "\": " + e.reason(), e);
        }
        Throwable failure = null;
        T result = null;
        try {
            result = block.call();
        } catch (Throwable t) {
            failure = t;
        }
        try {
            Syscalls.setns(home, Syscalls.CLONE_NEWNET);
        } catch (LinuxException e) {
            // Cannot happen with the privileges that entered and an open fd on the original namespace;
            // if it does, this thread must not go on as if it were home.
            Error stuck = new InternalError("failed to return from netns \"" + path
                    + "\" to the thread's own namespace: " + e.reason(), e);
            if (failure != null) {
                stuck.addSuppressed(failure);
            }
            throw stuck;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new RuntimeException(failure.getMessage(), failure);
        }
        return result;
    }

    /** Runs the block on a new platform thread that is discarded afterwards (for virtual callers). */
    private static <T> T onFreshThread(int fd, String path, Callable<T> block) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<Error> error = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns").daemon(true).unstarted(() -> {
            int home;
            try {
                home = Syscalls.open(THREAD_NETNS, Syscalls.O_RDONLY);
            } catch (LinuxException e) {
                home = -1;
            }
            try {
                if (home >= 0) {
                    result.set(runFrom(home, fd, path, block));
                } else { // the thread ends right after: no need to return
                    Syscalls.setns(fd, Syscalls.CLONE_NEWNET);
                    result.set(block.call());
                }
            } catch (LinuxException e) {
                failure.set(new NetnsException(NetnsException.Kind.FAILED, path,
                        "failed to enter netns \"" + path + "\": " + e.reason(), e));
            } catch (RuntimeException e) {
                failure.set(e);
            } catch (Error e) {
                error.set(e);
            } catch (Exception e) {
                failure.set(new RuntimeException(e.getMessage(), e));
            } finally {
                if (home >= 0) {
                    Syscalls.close(home);
                }
            }
        });
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error.get() != null) {
            throw error.get();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** A netlink handle whose socket lives in this namespace (usable from any thread afterwards). */
    public Netlink netlink() {
        return run(Netlink::open);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.close(fd);
        }
    }
}
