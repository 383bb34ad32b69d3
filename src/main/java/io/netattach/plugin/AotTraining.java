package io.netattach.plugin;

import io.netattach.netlink.Netlink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The training run for the JDK 25 AOT cache of the plugin launchers (run by the build with
 * {@code -XX:AOTCacheOutput=...}): drives the skeleton through the code paths every invocation
 * takes (environment, JSON, config, version reconciliation, result conversion, error output) and
 * opens a netlink socket and dumps links, which links the FFM downcall. Needs no privileges and
 * changes nothing.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String[] args) {
        String conf = """
                {"cniVersion":"1.0.0","name":"train","type":"route-override","flushgateway":true,
                 "addroutes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"},{"dst":"fd00::/64"}],
                 "prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth1","sandbox":"/var/run/netns/x"}],
                 "ips":[{"interface":0,"address":"192.168.100.10/24","gateway":"192.168.100.1"}],
                 "routes":[{"dst":"0.0.0.0/0","gw":"192.168.100.1"}]}}""";
        for (int i = 0; i < 50; i++) {
            for (String command : new String[]{"VERSION", "DEL", "ADD", "CHECK"}) {
                // DEL without CNI_NETNS succeeds; ADD/CHECK stop at the missing netns (code 3)
                Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "train",
                        "CNI_IFNAME", "eth1", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "IgnoreUnknown=true",
                        "CNI_NETNS", command.equals("DEL") ? "" : "/nonexistent/netattach-aot-training");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Skeleton.run(Plugins.lookup("route-override").orElseThrow(), env,
                        new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(
                                new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            }
        }
        try (Netlink nl = Netlink.open()) {
            nl.links();
            nl.linkByName("lo");
            nl.routes(io.netattach.netlink.Nl.AF_INET);
        }
        System.out.println("netattach AOT training done");
    }
}
