package io.netattach.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netattach.injection.NetworksAnnotation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What the admission webhooks add to API requests as the cluster sees them: NAD create and pod create
 * latency through the real kube-apiserver of the end-to-end suite ({@link Cluster}), with no webhook
 * configuration registered, with netattach's (rendered from deploy/base, url clientConfig), and with the
 * upstream Go net-attach-def-admission-controller ({@code ../shared/peers}) registered the same way for
 * NADs. All scenarios run in one process and are interleaved in rounds, so their ratios hold on a noisy
 * machine.
 *
 * <p>Not a test (no JUnit, name matches neither *IT nor *E2E): run by {@code bench/apiserver-latency.sh}.
 * System properties: {@code bench.n} (requests per scenario and operation, default 1000),
 * {@code bench.rounds} (default 2), {@code bench.warmup} (unmeasured requests before each block, default 20), {@code bench.ipam}
 * ({@code host-local}, default, or {@code static}: see {@link #nadConfig}).
 */
public final class AdmissionLatencyBench {

    static final String GO_WEBHOOK = "nad-validate.bench-go.k8s.cni.cncf.io";
    static final String GO_CONFIG = "bench-go-nad-admission";

    private AdmissionLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.n", 1000);
        int rounds = Math.max(1, Integer.getInteger("bench.rounds", 2));
        int warmup = Integer.getInteger("bench.warmup", 20);
        int perRound = Math.max(1, n / rounds);
        System.out.printf("bench: %d CPUs, load average %s at start; N=%d (%d rounds of %d), warm-up %d, NAD IPAM %s%n",
                Runtime.getRuntime().availableProcessors(), loadavg(), perRound * rounds, rounds, perRound, warmup,
                System.getProperty("bench.ipam", "host-local"));
        Cluster cluster = Cluster.forBench();
        Process go = null;
        int code = 0;
        try {
            int goPort = Cluster.freePort();
            go = startGo(cluster, goPort);
            KubernetesClient client = cluster.admin; // requestRetryBackoffLimit 0, one pooled keep-alive client
            Map<String, long[]> samples = new LinkedHashMap<>();
            String current = "netattach"; // Cluster registers netattach's configurations at start
            for (int r = 1; r <= rounds; r++) {
                List<String> order = new java.util.ArrayList<>(List.of("none", "netattach", "go"));
                java.util.Collections.rotate(order, -(r - 1)); // each scenario takes each slot: drift cancels
                for (String scenario : order) {
                    switchTo(cluster, current, scenario, goPort);
                    current = scenario;
                    String ns = "bench-" + scenario + "-r" + r;
                    // both pod webhooks: pods.mutate (injection) and pods.validate (on a 1.26 API server,
                    // namespaces labelled for validation; from 1.28, pods carrying the networks annotation)
                    Map<String, String> labels = new LinkedHashMap<>(Cluster.VALIDATION_ENABLED);
                    labels.put("netattach.io/injection", "enabled");
                    cluster.namespace(ns, labels);
                    measure(client, ns, "w", warmup, true);
                    long[][] m = measure(client, ns, "m", perRound, false);
                    samples.merge(scenario + "|NAD create", m[0], AdmissionLatencyBench::concat);
                    samples.merge(scenario + "|pod create", m[1], AdmissionLatencyBench::concat);
                    if (!scenario.equals("none")) {
                        int port = scenario.equals("go") ? goPort : cluster.webhook.port;
                        System.out.printf("bench: round %d %s: established connections apiserver -> webhook :%d: %d%n",
                                r, scenario, port, connections(port));
                    }
                    cleanUp(cluster, client, ns);
                }
            }
            switchTo(cluster, current, "netattach", goPort);
            System.out.println("bench: ALPN offered h2,http/1.1: netattach -> " + alpn(cluster.webhook.port)
                    + ", Go -> " + alpn(goPort));
            print(samples);
            System.out.println("\nbench: the netattach webhook's own review timing (its /q/metrics, all scenarios):");
            reviewTimes(cluster.webhook.get("/q/metrics").body()).forEach((endpoint, t) -> System.out.printf(
                    "  %-40s %6d reviews, mean %.3f ms%n", endpoint, (long) t[0], t[0] == 0 ? 0 : 1000 * t[1] / t[0]));
            System.out.printf("bench: load average %s at end%n", loadavg());
        } catch (RuntimeException | IOException | InterruptedException e) {
            e.printStackTrace();
            code = 1;
        } finally {
            if (go != null) {
                go.destroyForcibly().waitFor(); // it ignores SIGTERM
            }
        } // the cluster stops in its shutdown hook
        System.exit(code);
    }

    /**
     * Per endpoint, {count, sum in seconds} of {@code netattach_admission_review_duration_seconds} in a
     * Prometheus exposition (the webhook's {@code /q/metrics}), in the order the endpoints appear.
     */
    static Map<String, double[]> reviewTimes(String metrics) {
        Map<String, double[]> times = new LinkedHashMap<>();
        Pattern line = Pattern.compile(
                "netattach_admission_review_duration_seconds_(count|sum)\\{endpoint=\"([^\"]*)\"} (\\S+)");
        metrics.lines().map(line::matcher).filter(Matcher::matches).forEach(m -> times
                .computeIfAbsent(m.group(2), e -> new double[2])[m.group(1).equals("count") ? 0 : 1] = Double.parseDouble(m.group(3)));
        return times;
    }

    /**
     * Warm-up (discarded) or measured block: NAD creates, then pod creates, one at a time. Every pod names
     * the warm-up block's first NAD in its networks annotation, as a pod using a secondary network does, so
     * netattach's pod validation resolves it in the catalog.
     */
    static long[][] measure(KubernetesClient client, String ns, String prefix, int count, boolean discard) {
        long[] nad = new long[count];
        long[] pod = new long[count];
        for (int i = 0; i < count; i++) {
            var object = Nads.nad(ns, prefix + "-nad-" + i, nadConfig(i), Map.of());
            long t0 = System.nanoTime();
            Nads.api(client).inNamespace(ns).resource(object).create();
            nad[i] = System.nanoTime() - t0;
        }
        for (int i = 0; i < count; i++) {
            Pod object = new PodBuilder().withNewMetadata().withName(prefix + "-pod-" + i).withNamespace(ns)
                    .addToAnnotations(NetworksAnnotation.KEY, "w-nad-0").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
            long t0 = System.nanoTime();
            client.pods().inNamespace(ns).resource(object).create();
            pod[i] = System.nanoTime() - t0;
        }
        return discard ? new long[][] {new long[0], new long[0]} : new long[][] {nad, pod};
    }

    /**
     * The NAD of request {@code i}: macvlan on br-ex VLAN 100 with host-local IPAM (bench.ipam=host-local,
     * the default), or the seed's macvlan + static + route-override chain with a distinct address per NAD
     * (bench.ipam=static; netattach then checks each new NAD against every static NAD of the namespace).
     */
    static String nadConfig(int i) {
        if (System.getProperty("bench.ipam", "host-local").equals("static")) {
            return Nads.chain("bench", 100, "10.50." + (1 + i / 250) + "." + (1 + i % 250) + "/16", "10.50.0.1",
                    "10.60.0.0/16");
        }
        return """
                {"cniVersion":"1.0.0","name":"bench","plugins":[
                  {"type":"macvlan","master":"br-ex","vlan":100,"mode":"bridge",
                   "ipam":{"type":"host-local","subnet":"192.168.50.0/24"}}]}""";
    }

    /** Deletes what a block created (collection deletes; unscheduled pods go at once) and the namespace. */
    static void cleanUp(Cluster cluster, KubernetesClient client, String ns) {
        Nads.api(client).inNamespace(ns).delete();
        client.pods().inNamespace(ns).withGracePeriod(0).delete();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!(Nads.api(client).inNamespace(ns).list().getItems().isEmpty()
                && client.pods().inNamespace(ns).list().getItems().isEmpty())) {
            if (System.nanoTime() > deadline) {
                System.out.println("bench: objects left in " + ns + " after 120 s");
                break;
            }
            Cluster.sleep(250);
        }
        client.namespaces().withName(ns).delete();
    }

    static void switchTo(Cluster cluster, String from, String to, int goPort) {
        if (from.equals(to)) {
            return;
        }
        if (from.equals("netattach")) {
            cluster.unregister();
            cluster.awaitEnforced(false);
        } else if (from.equals("go")) {
            cluster.kubectlOk(null, "delete", "validatingwebhookconfiguration", GO_CONFIG, "--ignore-not-found");
            awaitGo(cluster, false);
        }
        if (to.equals("netattach")) {
            cluster.register(); // waits for the NAD webhook; the pod webhooks come in the same apply
        } else if (to.equals("go")) {
            cluster.kubectlOk(goConfiguration(goPort, cluster.caBundle), "apply", "-f", "-");
            awaitGo(cluster, true);
        }
        Cluster.sleep(1000); // the API server's configuration informer: let all webhooks of the apply land
    }

    /** The Go controller's NAD webhook, registered as netattach's NAD webhook is (rules, selector, policy). */
    static String goConfiguration(int port, String caBundle) {
        return """
                {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
                 "metadata":{"name":"%s"},
                 "webhooks":[{"name":"%s","admissionReviewVersions":["v1"],"sideEffects":"None",
                   "failurePolicy":"Fail","timeoutSeconds":5,"matchPolicy":"Equivalent",
                   "clientConfig":{"url":"https://127.0.0.1:%d/validate","caBundle":"%s"},
                   "namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn",
                     "values":["netattach-system","kube-system"]}]},
                   "rules":[{"apiGroups":["k8s.cni.cncf.io"],"apiVersions":["v1"],"operations":["CREATE","UPDATE"],
                     "resources":["network-attachment-definitions"],"scope":"Namespaced"}]}]}
                """.formatted(GO_CONFIG, GO_WEBHOOK, port, caBundle);
    }

    /** Waits until a NAD whose config is not JSON is (or is no longer) denied by the Go webhook (server-side dry-run). */
    static void awaitGo(Cluster cluster, boolean enforced) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Exec probe = cluster.kubectl(Nads.manifest("default", "bench-go-probe", "not json"),
                    "create", "--dry-run=server", "-f", "-");
            last = probe.output();
            if (probe.err().contains(GO_WEBHOOK) == enforced) {
                return;
            }
            Cluster.sleep(200);
        }
        throw new IllegalStateException("the Go webhook is " + (enforced ? "still not" : "still") + " enforced after 30 s: "
                + last);
    }

    /** The upstream controller, unpacked into target/peers (never committed), serving with the suite's certificate. */
    static Process startGo(Cluster cluster, int port) throws IOException {
        Path gz = Cluster.ROOT.resolve("../shared/peers/nad-admission-webhook.gz").normalize();
        Path bin = Cluster.ROOT.resolve("target/peers/nad-admission-webhook");
        if (!Files.isExecutable(bin)) {
            if (!Files.isRegularFile(gz)) {
                throw new IllegalStateException(gz + " not found: the Go reference is needed for the ratio");
            }
            Files.createDirectories(bin.getParent());
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path log = Cluster.WORK.resolve("go-webhook.log");
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "-port", String.valueOf(port), "-bind-address", "127.0.0.1",
                "-metrics-listen-address", "127.0.0.1:" + Cluster.freePort(),
                "-tls-cert-file", cluster.certs.resolve("tls.crt").toString(),
                "-tls-private-key-file", cluster.certs.resolve("tls.key").toString(), "-logtostderr")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", cluster.adminKubeconfig.toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Go webhook exited " + p.exitValue() + ", see " + log);
            }
            try {
                new java.net.Socket("127.0.0.1", port).close();
                System.out.println("bench: Go webhook listening on 127.0.0.1:" + port);
                return p;
            } catch (IOException e) {
                Cluster.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the Go webhook did not listen within 30 s, see " + log);
    }

    /** Established TCP connections to a local port (the API server's pool to that webhook). */
    static long connections(int port) {
        Exec ss = Exec.run("ss", "-Htn", "state", "established", "( dport = :" + port + " )");
        return ss.out().lines().filter(l -> !l.isBlank()).count();
    }

    /** The protocol a server picks when offered h2 and http/1.1 (as Go's HTTP client offers). */
    static String alpn(int port) {
        Exec e = Exec.run(Cluster.ROOT, Map.of(), "", List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-alpn", "h2,http/1.1", "-servername", "127.0.0.1"));
        return e.out().lines().filter(l -> l.startsWith("ALPN protocol") || l.startsWith("No ALPN"))
                .findFirst().orElse("?").strip();
    }

    static void print(Map<String, long[]> samples) {
        System.out.println();
        System.out.printf("%-24s %7s %8s %8s %8s %16s%n", "scenario", "n", "p50 ms", "p99 ms", "mean ms", "added p50 ms");
        Map<String, double[]> stats = new LinkedHashMap<>();
        for (var e : samples.entrySet()) {
            long[] v = e.getValue().clone();
            Arrays.sort(v);
            double p50 = pct(v, 0.50);
            double p99 = pct(v, 0.99);
            double mean = Arrays.stream(v).average().orElse(0) / 1e6;
            stats.put(e.getKey(), new double[] {p50, p99, mean, v.length});
        }
        for (var e : stats.entrySet()) {
            String[] k = e.getKey().split("\\|");
            double[] s = e.getValue();
            double base = stats.get("none|" + k[1])[0];
            System.out.printf("%-24s %7d %8.2f %8.2f %8.2f %16s%n", k[1] + ", " + k[0], (long) s[3], s[0], s[1], s[2],
                    k[0].equals("none") ? "-" : String.format("%+.2f", s[0] - base));
        }
        double none = stats.get("none|NAD create")[0];
        double ours = stats.get("netattach|NAD create")[0];
        double go = stats.get("go|NAD create")[0];
        System.out.printf("%nNAD create, netattach/Go: p50 %.2f, p99 %.2f, added p50 %s (%+.2f ms vs %+.2f ms)%n",
                ours / go, stats.get("netattach|NAD create")[1] / stats.get("go|NAD create")[1],
                go - none > 0 ? String.format("%.2f", (ours - none) / (go - none)) : "n/a (Go's addition is within the noise)",
                ours - none, go - none);
    }

    static double pct(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
