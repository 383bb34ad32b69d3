package io.netattach.plugin;

import java.util.List;
import java.util.Map;

/**
 * Everything a command handler sees (the reference skel's CmdArgs): the verb, the attachment
 * (container id, netns path, interface name), the parsed {@code CNI_ARGS}, {@code CNI_PATH}, the
 * raw stdin text and the whole environment (passed on unchanged to delegated IPAM plugins).
 *
 * @param netns       {@code CNI_NETNS}, "" when not given (allowed for DEL)
 * @param args        {@code CNI_ARGS} as key/value pairs in order
 * @param path        {@code CNI_PATH} split on ':'
 * @param stdin       the network configuration text exactly as received
 * @param environment the process environment
 */
public record CniRequest(Command command, String containerId, String netns, String ifname,
                         Map<String, String> args, List<String> path, String stdin,
                         Map<String, String> environment) {

    public CniRequest {
        containerId = containerId == null ? "" : containerId;
        netns = netns == null ? "" : netns;
        ifname = ifname == null ? "" : ifname;
        args = Map.copyOf(args);
        path = List.copyOf(path);
        stdin = stdin == null ? "" : stdin;
        environment = Map.copyOf(environment);
    }
}
