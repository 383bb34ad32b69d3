package io.netattach.plugin.macvlan;

import io.netattach.testing.Netns;

/** Whether this kernel can create 802.1Q links (probed once in a scratch namespace). */
final class VlanSupport {
    private static Boolean available;

    private VlanSupport() {
    }

    static synchronized boolean available() {
        if (available == null) {
            try (Netns probe = Netns.create("na-vlanprobe")) {
                probe.ip("link", "add", "p0", "type", "veth", "peer", "name", "p1");
                available = probe.ipResult("link", "add", "link", "p0", "name", "p0.7", "type", "vlan", "id", "7").ok();
            }
        }
        return available;
    }
}
