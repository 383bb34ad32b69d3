package io.netattach.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The usual fixture of the plugin tests: a node namespace that plays the host, with a bridge
 * {@code br-ex} (up, MTU 1500) as macvlan master, and one or more pod namespaces. Names are unique;
 * {@link #close()} removes every namespace (and so every link inside) even after a failed test.
 *
 * <pre>{@code
 * try (var ns = NodePodNamespaces.create()) {
 *     ... CNI_NETNS = ns.pod().path(), plugins run inside ns.node() ...
 * }
 * }</pre>
 */
public final class NodePodNamespaces implements AutoCloseable {

    public static final String MASTER = "br-ex";

    private final Netns node;
    private final List<Netns> pods = new ArrayList<>();

    private NodePodNamespaces(Netns node) {
        this.node = node;
    }

    /** Node namespace with {@code br-ex} plus one pod namespace. Root only (see {@link Netns#assumeRoot()}). */
    public static NodePodNamespaces create() {
        return create(1);
    }

    public static NodePodNamespaces create(int podCount) {
        Netns node = Netns.create("na-node");
        NodePodNamespaces f = new NodePodNamespaces(node);
        try {
            node.ip("link", "add", MASTER, "type", "bridge");
            node.ip("link", "set", MASTER, "mtu", "1500", "up");
            for (int i = 0; i < podCount; i++) {
                f.addPod();
            }
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** Adds another pod namespace. */
    public Netns addPod() {
        Netns pod = Netns.create("na-pod");
        pods.add(pod);
        return pod;
    }

    /**
     * Adds a veth pair in the node namespace ({@code NAME} up, peer {@code NAME-p} up) that can serve
     * as a master other than the bridge, optionally with an IPv4 default route through it.
     */
    public String addVethMaster(String name, boolean defaultRoute) {
        node.ip("link", "add", name, "type", "veth", "peer", "name", name + "p");
        node.ip("link", "set", name, "up");
        node.ip("link", "set", name + "p", "up");
        if (defaultRoute) {
            node.ip("addr", "add", "198.51.100.2/24", "dev", name);
            node.ip("route", "add", "default", "via", "198.51.100.1", "dev", name);
        }
        return name;
    }

    public Netns node() {
        return node;
    }

    public Netns pod() {
        return pods.getFirst();
    }

    public List<Netns> pods() {
        return List.copyOf(pods);
    }

    @Override
    public void close() {
        for (Netns pod : pods) {
            pod.close();
        }
        node.close();
    }
}
