package io.netattach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.CniException;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;
import io.netattach.plugin.chain.ChainRunner;
import io.netattach.plugin.chain.ExecPluginInvoker;
import io.netattach.plugin.chain.InProcessPluginInvoker;
import io.netattach.plugin.chain.PluginInvoker;
import io.netattach.plugin.chain.RuntimeConf;

import io.netattach.injection.NadInfo;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.NetworksAnnotation;
import io.netattach.manifest.ManifestReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo}: as root, builds the seed scenario of {@code deploy/examples} in network namespaces with
 * the bundled plugins, as the OpenShift verification does on a cluster: a node namespace with a bridge
 * {@code br-ex}, a pod namespace, the pod's networks ({@code k8s.v1.cni.cncf.io/networks} of the one Pod
 * of the directory, resolved in its namespace against the directory's NADs, read recursively by the same
 * {@link ManifestReader} as {@code lint}, {@code inject} and the server) run through their NADs' plugin chains by {@link ChainRunner}; prints the pod's
 * {@code ip addr} and {@code ip route}, checks the expected lines, runs DEL and removes everything
 * (also on failure and Ctrl-C). Where the kernel lacks 802.1Q it says so and runs the chains untagged.
 *
 * <p>The timing of the same chain is a benchmark outside the production jar: {@code bench/chain.sh}.
 */
@Command(name = "demo",
        description = {"(root) Run the seed scenario in network namespaces with the bundled plugins.",
                "Builds the scenario of --examples DIR in network namespaces and prints the pod's ip addr / ip route, "
                        + "as the OpenShift verification does (timings of the same chain: bench/chain.sh)."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"  0:as expected", "  1:a plugin failed or the pod is not as expected", "  2:usage error, not root, unreadable scenario"})
public final class DemoCommand extends CliCommand {

    @Option(names = "--examples", paramLabel = "DIR", defaultValue = "deploy/examples",
            description = "the scenario: NADs and one Pod, read like --nads of the other commands (default ${DEFAULT-VALUE})")
    Path examples;

    @Option(names = "--cni-path", paramLabel = "DIR[:DIR...]",
            description = "the bundled plugin executables (default: next to this executable, else target/cni-bin)")
    String cniPath;

    @Option(names = "--in-process", description = "run the bundled plugins inside this process instead of executing them")
    boolean inProcess;

    /** The lines the OpenShift verification expects in the pod. */
    static final List<String> EXPECTED = List.of(
            "inet 192.168.100.10/24 .* eth1",
            "inet 192.168.200.10/24 .* eth2",
            "10.0.0.0/8 via 192.168.100.1 dev eth1",
            "172.16.0.0/12 via 192.168.200.1 dev eth2");

    /** One network of the pod: NAD name, interface, its conflist. */
    record Attachment(String name, String ifName, String conflist) {
    }

    @Override
    public Integer call() {
        if (!isRoot()) {
            err.println("demo: needs root (it creates network namespaces and interfaces); run it as root");
            return 2;
        }
        if (!commandExists("ip")) {
            err.println("demo: needs iproute2 ('ip') to print the pod's addresses and routes");
            return 2;
        }
        List<Path> bundled;
        try {
            bundled = cniPath != null ? split(cniPath) : List.of(defaultPluginDir());
        } catch (IllegalStateException e) {
            err.println("demo: " + e.getMessage());
            return 2;
        }
        List<Attachment> attachments;
        try {
            attachments = readScenario(examples);
        } catch (IllegalArgumentException | ManifestReader.UnreadableInputException e) {
            err.println("demo: " + e.getMessage());
            return 2;
        }
        return new Scenario(out, err).run(attachments, bundled, inProcess);
    }

    // ---------------------------------------------------------------- scenario

    /** One demo run: namespaces, ADD, print, verify, DEL, cleanup. */
    static final class Scenario {
        private final PrintStream out;
        private final PrintStream err;

        Scenario(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        int run(List<Attachment> attachments, List<Path> cniPath, boolean inProcess) {
            try (Namespaces ns = Namespaces.create("netattach-demo")) {
                out.println("netattach demo: the seed scenario with the bundled plugins "
                        + (inProcess ? "(in process)" : "from " + join(cniPath)));
                out.println("node netns " + ns.node + " with bridge br-ex; pod netns " + ns.pod);
                List<Attachment> runnable = attachments;
                if (!vlanSupported(ns.node)) {
                    out.println("note: this kernel has no 802.1Q VLAN support (kernel module 8021q); the \"vlan\""
                            + " field is removed and the chains run untagged on br-ex");
                    runnable = attachments.stream().map(a -> new Attachment(a.name(), a.ifName(), withoutVlan(a.conflist())))
                            .toList();
                }
                PluginInvoker invoker = inProcess ? new InProcessPluginInvoker(ns.nodePath())
                        : ExecPluginInvoker.inNetns(cniPath, ns.nodePath());
                ChainRunner runner = new ChainRunner(invoker, cniPath);
                List<Added> added = new ArrayList<>();
                int status = 0;
                try {
                    for (Attachment a : runnable) {
                        NetworkConfigList list = ChainRunner.parse(a.conflist());
                        RuntimeConf rt = runtimeConf(ns, a);
                        out.println("ADD " + a.name() + " as " + a.ifName() + " (" + types(list) + ")");
                        Result result = runner.add(list, rt);
                        added.add(new Added(list, rt, result));
                    }
                    String addr = ip(ns.pod, "addr");
                    String route = ip(ns.pod, "route");
                    out.println();
                    out.println("$ ip addr    # in the pod");
                    out.print(addr);
                    out.println("$ ip route   # in the pod");
                    out.print(route);
                    out.println();
                    List<String> missing = new ArrayList<>();
                    for (String expected : EXPECTED) {
                        java.util.regex.Pattern p = java.util.regex.Pattern.compile(".*" + expected + ".*");
                        if ((addr + route).lines().noneMatch(l -> p.matcher(l.strip()).matches())) {
                            missing.add(expected.replace(" .* ", " on "));
                        }
                    }
                    if (missing.isEmpty()) {
                        out.println("verified: 192.168.100.10/24 on eth1, 192.168.200.10/24 on eth2,"
                                + " 10.0.0.0/8 via 192.168.100.1 dev eth1, 172.16.0.0/12 via 192.168.200.1 dev eth2");
                    } else {
                        out.println("NOT as expected, missing: " + String.join("; ", missing));
                        status = 1;
                    }
                } catch (CniException e) {
                    err.println("demo: ADD failed: " + e.error().msg() + (e.error().details().isEmpty() ? ""
                            : " (" + e.error().details() + ")"));
                    status = 1;
                } finally {
                    for (int i = added.size() - 1; i >= 0; i--) {
                        Added a = added.get(i);
                        try {
                            runner.del(a.list(), a.rt(), a.result());
                            out.println("DEL " + a.list().name() + " (" + a.rt().ifName() + ")");
                        } catch (CniException e) {
                            err.println("demo: DEL " + a.list().name() + " failed: " + e.error().msg());
                            status = 1;
                        }
                    }
                }
                if (invoker instanceof InProcessPluginInvoker closeable) {
                    closeable.close();
                }
                out.println("removed namespaces " + ns.node + " and " + ns.pod);
                return status;
            }
        }
    }

    record Added(NetworkConfigList list, RuntimeConf rt, Result result) {
    }

    static RuntimeConf runtimeConf(Namespaces ns, Attachment a) {
        return new RuntimeConf("netattach-demo-" + ns.suffix, ns.podPath(), a.ifName(),
                List.of(Map.entry("IgnoreUnknown", "true"), Map.entry("K8S_POD_NAMESPACE", "chain-example"),
                        Map.entry("K8S_POD_NAME", "chain-test-pod")), JsonObject.empty());
    }

    static String types(NetworkConfigList list) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < list.plugins().size(); i++) {
            String ipam = list.plugins().get(i).get("ipam").orElse(null) instanceof JsonObject o
                    && o.get("type").orElse(null) instanceof JsonValue.JsonString s ? s.value() : "";
            t.add(ChainRunner.pluginType(list, i) + (ipam.isEmpty() ? "" : " + " + ipam + " IPAM"));
        }
        return String.join(" -> ", t);
    }

    // ---------------------------------------------------------------- scenario input

    /**
     * The pod's networks from the pod manifest's {@code k8s.v1.cni.cncf.io/networks}, each with the
     * {@code spec.config} of its NAD.
     */
    static List<Attachment> readScenario(Path dir) throws ManifestReader.UnreadableInputException {
        ManifestReader reader = new ManifestReader();
        Map<String, JsonNode> nads = new LinkedHashMap<>();
        List<JsonNode> pods = new ArrayList<>();
        for (Path file : reader.expand(dir)) {
            for (ManifestReader.Document d : reader.read(file)) {
                if (!(d.content() instanceof ManifestReader.Content.KubernetesObject(JsonNode node))) {
                    continue;
                }
                NadInfo nad = ManifestReader.isNad(node) ? NadInfo.fromManifest(node, "default") : null;
                if (nad != null) {
                    nads.put(nad.key(), node);
                } else if (node.path("kind").asText("").equals("Pod")) {
                    pods.add(node);
                }
            }
        }
        if (pods.size() != 1) {
            throw new IllegalArgumentException(dir + ": " + (pods.isEmpty() ? "no Pod manifest found"
                    : pods.size() + " Pod manifests; the scenario needs exactly one"));
        }
        JsonNode pod = pods.getFirst();
        String podNamespace = pod.path("metadata").path("namespace").asText("default");
        String annotation = pod.path("metadata").path("annotations").path(NetworksAnnotation.KEY).asText("");
        if (annotation.isBlank()) {
            throw new IllegalArgumentException(dir + ": the Pod has no " + NetworksAnnotation.KEY + " annotation");
        }
        List<NetworkSelection> selections = switch (NetworksAnnotation.parse(annotation)) {
            case NetworksAnnotation.Parsed parsed -> parsed.elements();
            case NetworksAnnotation.Malformed malformed ->
                    throw new IllegalArgumentException(dir + ": the Pod's " + NetworksAnnotation.KEY + ": " + malformed.reason());
        };
        List<Attachment> out = new ArrayList<>();
        for (int i = 0; i < selections.size(); i++) {
            NetworkSelection selection = selections.get(i);
            String key = selection.namespaceOr(podNamespace) + "/" + selection.name();
            JsonNode nad = nads.get(key);
            String config = nad == null ? "" : nad.path("spec").path("config").asText("");
            if (config.isBlank()) {
                throw new IllegalArgumentException(dir + ": no NetworkAttachmentDefinition \"" + key + "\" with a spec.config");
            }
            out.add(new Attachment(selection.name(), NetworksAnnotation.effectiveInterface(selection, i), config));
        }
        return out;
    }

    /** The conflist without {@code vlan} in any plugin (for kernels without 802.1Q). */
    static String withoutVlan(String conflist) {
        JsonObject list = (JsonObject) Json.parse(conflist);
        if (!(list.get("plugins").orElse(null) instanceof JsonValue.JsonArray plugins)) {
            return list.without("vlan").toJson();
        }
        List<JsonValue> stripped = new ArrayList<>();
        for (JsonValue p : plugins.elements()) {
            stripped.add(p instanceof JsonObject o ? o.without("vlan") : p);
        }
        return list.with("plugins", new JsonValue.JsonArray(stripped)).toJson();
    }

    // ---------------------------------------------------------------- environment

    /** A node namespace with br-ex and a pod namespace, removed on close and on JVM exit (Ctrl-C). */
    static final class Namespaces implements AutoCloseable {
        final String suffix;
        final String node;
        final String pod;
        private final Thread hook;
        private boolean closed;

        private Namespaces(String prefix) {
            suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
            node = prefix + "-node-" + suffix;
            pod = prefix + "-pod-" + suffix;
            hook = new Thread(this::remove, "demo-cleanup");
        }

        static Namespaces create(String prefix) {
            Namespaces ns = new Namespaces(prefix);
            Runtime.getRuntime().addShutdownHook(ns.hook);
            try {
                run("ip", "netns", "add", ns.node);
                run("ip", "netns", "add", ns.pod);
                run("ip", "-n", ns.node, "link", "set", "lo", "up");
                run("ip", "-n", ns.pod, "link", "set", "lo", "up");
                run("ip", "-n", ns.node, "link", "add", "br-ex", "type", "bridge");
                run("ip", "-n", ns.node, "link", "set", "br-ex", "up");
            } catch (RuntimeException e) {
                ns.close();
                throw e;
            }
            return ns;
        }

        String nodePath() {
            return "/run/netns/" + node;
        }

        String podPath() {
            return "/run/netns/" + pod;
        }

        private void remove() {
            exec(List.of("ip", "netns", "del", pod));
            exec(List.of("ip", "netns", "del", node));
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            remove();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    /** Probes 802.1Q support by creating (and deleting) a VLAN of br-ex in the node namespace. */
    static boolean vlanSupported(String nodeNs) {
        Exec r = exec(List.of("ip", "-n", nodeNs, "link", "add", "link", "br-ex", "name", "br-ex.4094", "type",
                "vlan", "id", "4094"));
        if (r.status() == 0) {
            exec(List.of("ip", "-n", nodeNs, "link", "del", "br-ex.4094"));
            return true;
        }
        return false;
    }

    static String ip(String ns, String what) {
        return run("ip", "-n", ns, what);
    }

    record Exec(int status, String out) {
    }

    static String run(String... command) {
        Exec r = exec(List.of(command));
        if (r.status() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.out().strip());
        }
        return r.out();
    }

    static Exec exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Exec(124, "timed out");
            }
            return new Exec(p.exitValue(), out);
        } catch (IOException e) {
            return new Exec(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(130, "interrupted");
        }
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean commandExists(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /** Plugin executables next to this executable (native install), else the repository's target/cni-bin. */
    static Path defaultPluginDir() {
        Optional<Path> self = ProcessHandle.current().info().command().map(Path::of).map(Path::getParent);
        if (self.isPresent() && Files.isExecutable(self.get().resolve("macvlan"))
                && !self.get().resolve("java").toFile().exists()) {
            return self.get();
        }
        Path repo = Path.of("target/cni-bin").toAbsolutePath();
        if (Files.isExecutable(repo.resolve("macvlan"))) {
            return repo;
        }
        throw new IllegalStateException("no bundled plugins found (neither next to this executable nor in"
                + " target/cni-bin; build with ./mvnw package or pass --cni-path DIR)");
    }

    static List<Path> split(String path) {
        List<Path> out = new ArrayList<>();
        for (String p : path.split(":")) {
            if (!p.isEmpty()) {
                out.add(Path.of(p).toAbsolutePath());
            }
        }
        return out;
    }

    static String join(List<Path> path) {
        return String.join(":", path.stream().map(Path::toString).toList());
    }
}
