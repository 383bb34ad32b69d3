package io.netattach.plugin.chain;

import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;
import io.netattach.testing.Netns;
import io.netattach.testing.NodePodNamespaces;
import io.netattach.testing.PodState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Differential-test harness: runs one conflist through a set of plugin executables (a CNI_PATH) in a
 * fresh node + pod namespace pair, and records what a user could observe: the ADD result (MACs and
 * sandbox paths masked), the pod's state after ADD, the outcome of CHECK, the pod's state after DEL,
 * and whether a second DEL succeeds.
 */
public final class Differential {

    /** Where the reference Go plugins live (Debian containernetworking-plugins 1.1.1). */
    public static final Path REFERENCE_DIR = Path.of("/usr/lib/cni");
    /** The JVM launchers of the bundled plugins. */
    public static final Path BUNDLED_DIR = Path.of("target/cni-bin").toAbsolutePath();

    private Differential() {
    }

    /** What one run produced. {@code error} is the ADD error (then the other fields describe cleanup). */
    public record Outcome(String result, PodState afterAdd, String check, PodState afterDel, String secondDel,
                          String error) {
    }

    public static boolean referenceAvailable() {
        return Files.isExecutable(REFERENCE_DIR.resolve("macvlan")) && Files.isExecutable(REFERENCE_DIR.resolve("static"));
    }

    /**
     * A directory with wrappers {@code type -> dir/type} choosing, per plugin type, which
     * implementation runs (e.g. reference macvlan with bundled static).
     */
    public static Path mix(Path tmp, Map<String, Path> typeToDir) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "cni-mix");
        for (Map.Entry<String, Path> e : typeToDir.entrySet()) {
            // a wrapper script, not a symlink: the JVM launchers find their jar next to their own path
            Path wrapper = dir.resolve(e.getKey());
            Files.writeString(wrapper, "#!/bin/sh\nexec '" + e.getValue().resolve(e.getKey()) + "' \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        }
        return dir;
    }

    /** Runs ADD, CHECK (from 0.4.0), DEL, DEL through {@code cniPath} with plugins executed in the node netns. */
    public static Outcome run(String conflist, List<Path> cniPath, List<Map.Entry<String, String>> cniArgs,
                              JsonObject capabilityArgs) {
        return run(conflist, ns -> ExecPluginInvoker.inNetns(cniPath, ns.node().path().toString()), cniPath, cniArgs,
                capabilityArgs);
    }

    /** As above with plugins reached through {@code invoker} (built for the fresh namespaces). */
    public static Outcome run(String conflist, java.util.function.Function<NodePodNamespaces, PluginInvoker> invoker,
                              List<Path> cniPath, List<Map.Entry<String, String>> cniArgs, JsonObject capabilityArgs) {
        try (NodePodNamespaces ns = NodePodNamespaces.create()) {
            PluginInvoker i = invoker.apply(ns);
            try {
                return run(ns, conflist, i, cniPath, cniArgs, capabilityArgs, "eth1");
            } finally {
                if (i instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // best effort
                    }
                }
            }
        }
    }

    public static Outcome run(NodePodNamespaces ns, String conflist, PluginInvoker invoker, List<Path> cniPath,
                              List<Map.Entry<String, String>> cniArgs, JsonObject capabilityArgs, String ifName) {
        ChainRunner runner = new ChainRunner(invoker, cniPath);
        NetworkConfigList list = ChainRunner.parse(conflist);
        RuntimeConf rt = new RuntimeConf("ctr-" + Netns.uniqueSuffix(), ns.pod().path().toString(), ifName,
                cniArgs, capabilityArgs);
        String resultText = "";
        String error = "";
        Result result = null;
        try {
            result = runner.add(list, rt);
            resultText = normalise(result.toJson(ChainRunner.version(list)), ns.pod());
        } catch (CniException e) {
            error = e.code() + ": " + e.error().msg();
        }
        PodState afterAdd = PodState.capture(ns.pod());
        String check = "";
        if (result != null && ChainRunner.version(list).supportsCheck()) {
            try {
                runner.check(list, rt, result);
                check = "ok";
            } catch (CniException e) {
                check = e.code() + ": " + e.error().msg();
            }
        }
        String del = runDel(runner, list, rt, result);
        PodState afterDel = PodState.capture(ns.pod());
        String secondDel = runDel(runner, list, rt, result);
        if (!del.equals("ok")) {
            secondDel = "first DEL: " + del + "; second DEL: " + secondDel;
        }
        return new Outcome(resultText, afterAdd, check, afterDel, secondDel, error);
    }

    private static String runDel(ChainRunner runner, NetworkConfigList list, RuntimeConf rt, Result result) {
        try {
            runner.del(list, rt, result);
            return "ok";
        } catch (CniException e) {
            return e.code() + ": " + e.error().msg();
        }
    }

    /** The result JSON with MACs and sandbox paths masked (they differ per run by design). */
    static String normalise(JsonObject result, Netns pod) {
        return Json.write(mask(result, pod.path().toString()));
    }

    private static JsonValue mask(JsonValue v, String sandbox) {
        if (v instanceof JsonObject o) {
            Map<String, JsonValue> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                JsonValue value = e.getValue();
                if (e.getKey().equals("mac") && value instanceof JsonString) {
                    value = new JsonString("<mac>");
                } else if (e.getKey().equals("sandbox") && value instanceof JsonString s) {
                    value = new JsonString(s.value().equals(sandbox) ? "<pod-netns>" : s.value());
                } else {
                    value = mask(value, sandbox);
                }
                m.put(e.getKey(), value);
            }
            return new JsonObject(m);
        }
        if (v instanceof JsonArray a) {
            List<JsonValue> out = new ArrayList<>();
            for (JsonValue e : a.elements()) {
                out.add(mask(e, sandbox));
            }
            return new JsonArray(out);
        }
        return v;
    }

    /** The list's text with {@code cniVersion} replaced. */
    public static String withVersion(String conflist, CniVersion version) {
        return conflist.replaceFirst("\"cniVersion\"\\s*:\\s*\"[0-9.]+\"", "\"cniVersion\":\"" + version.text() + "\"");
    }
}
