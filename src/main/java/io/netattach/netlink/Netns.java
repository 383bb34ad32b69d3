package io.netattach.netlink;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open network namespace file ({@code /var/run/netns/NAME}, {@code /proc/PID/ns/net}), checked to
 * be an nsfs file ({@code statfs} magic {@link #NSFS_MAGIC}). Code runs inside it with
 * {@link #run(Callable)} on a fresh, dedicated platform thread (setns only affects the calling
 * thread; virtual threads must never switch namespace); the thread switches back afterwards and is
 * then discarded, so no pooled thread is ever left in a foreign namespace.
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
     * Runs {@code block} inside this namespace on a dedicated platform thread and returns its value.
     * Exceptions of the block are rethrown (checked ones wrapped in {@link RuntimeException}).
     */
    public <T> T run(Callable<T> block) {
        return runIn(fd, path, block);
    }

    static <T> T runIn(int fd, String path, Callable<T> block) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("netns").daemon(true).unstarted(() -> {
            int home;
            try {
                home = Syscalls.open("/proc/thread-self/ns/net", Syscalls.O_RDONLY);
            } catch (LinuxException e) {
                home = -1;
            }
            try {
                Syscalls.setns(fd, Syscalls.CLONE_NEWNET);
            } catch (LinuxException e) {
                failure.set(new NetnsException(NetnsException.Kind.FAILED, path,
                        "failed to enter netns \"" + path + "\": " + e.reason(), e));
                Syscalls.close(home);
                return;
            }
            try {
                result.set(block.call());
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                // Switch back (best effort); the thread ends right after and is never reused anyway.
                if (home >= 0) {
                    try {
                        Syscalls.setns(home, Syscalls.CLONE_NEWNET);
                    } catch (LinuxException ignored) {
                        // discarded thread
                    }
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
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new RuntimeException(t.getMessage(), t);
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
