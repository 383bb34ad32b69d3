package io.netattach.netlink;

import io.netattach.cni.IpPrefix;

/** An interface address (RTM_NEWADDR): the local address with its prefix length. */
public record AddressInfo(int index, IpPrefix prefix, int scope, int flags, String label) {
}
