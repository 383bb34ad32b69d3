package io.netattach.plugin.macvlan;

import io.netattach.cni.CniException;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.netlink.Netns;
import io.netattach.plugin.Plugin;
import io.netattach.plugin.Skeleton;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs one plugin verb in process through the skeleton, inside a host namespace (the test's node). */
final class PluginRun {

    record Outcome(int status, String stdout) {
        JsonObject json() {
            return (JsonObject) Json.parse(stdout);
        }

        boolean ok() {
            return status == 0;
        }

        String msg() {
            return json().get("msg").map(v -> ((io.netattach.cni.JsonValue.JsonString) v).value()).orElse("");
        }

        int code() {
            return json().get("code").map(v -> Integer.parseInt(((io.netattach.cni.JsonValue.JsonNumber) v).text()))
                    .orElse(0);
        }
    }

    private PluginRun() {
    }

    static Outcome run(Plugin plugin, String hostNetns, String command, String containerId, String netns,
                       String ifName, String cniArgs, String stdin) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_ARGS", cniArgs);
        env.put("CNI_PATH", "/usr/lib/cni");
        try (Netns host = Netns.open(hostNetns)) {
            return host.run(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int status = Skeleton.run(plugin, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
                return new Outcome(status, out.toString(StandardCharsets.UTF_8));
            });
        } catch (CniException e) {
            throw e;
        }
    }
}
