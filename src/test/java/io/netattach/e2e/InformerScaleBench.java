package io.netattach.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Informer catalog at scale: the packaged webhook as shipped ({@code bin/netattach serve}, {@code JAVA_OPTS}
 * empty, pinned with {@code taskset}), in cluster mode on the real API server of the end-to-end suite
 * ({@link Cluster}), with growing numbers of NADs in the cluster. For each size: time from the process start
 * to readiness (the informer synced; the NAD count readiness reports must be the size), one NAD review and
 * two pod validation reviews right after (a NAD of the catalog: allowed; a NAD that does not exist: denied,
 * which proves the catalog is read), 2,000 pod mutation reviews, then the live heap after a full GC
 * ({@code jcmd GC.run} + {@code GC.heap_info}, as {@code MODE=scale bench/webhook-load.sh} measures the
 * directory catalog; the class histogram's total as a cross-check), RSS and peak RSS, and each against the
 * previous size per 1,000 additional NADs.
 *
 * <p>NADs: the seed's chain (macvlan on br-ex with a VLAN + static IPAM + route-override), with the
 * netattach.io injection annotations of {@code bench/pod-catalog.py}, {@code bench.perNamespace} per
 * namespace, created concurrently through one client ({@code bench.concurrency} requests in flight); the
 * creation time is reported separately. The webhook configurations of the suite are removed first (NAD
 * creates do not go through a webhook) and the suite's own webhook is stopped (its informer would hold
 * the NADs too).
 *
 * <p>Not a test (no JUnit, name matches neither *IT nor *E2E): run by {@code bench/informer-scale.sh}.
 * System properties: {@code bench.sizes} ("1000 10000 50000 100000"), {@code bench.perNamespace} (100),
 * {@code bench.concurrency} (32), {@code bench.serverCpu} (0), {@code bench.report} (file the table is
 * appended to), {@code bench.timeBudgetSeconds} (0: none; sizes that would start after it are skipped and
 * said so).
 */
public final class InformerScaleBench {

    static final Path OUT = Cluster.ROOT.resolve("bench/out");
    static final String NAD_PATH = "/validate/network-attachment-definitions";

    private InformerScaleBench() {
    }

    record Row(int nads, long syncMs, int reportedNads, double heapMb, double histogramMb, int rssMb, int peakRssMb,
               String review, String createdIn) {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1000 10000 50000 100000").trim().split("[\\s,]+"))
                .mapToInt(Integer::parseInt).sorted().toArray();
        int perNamespace = Integer.getInteger("bench.perNamespace", 100);
        int concurrency = Integer.getInteger("bench.concurrency", 32);
        String serverCpu = System.getProperty("bench.serverCpu", "0");
        long budget = Long.getLong("bench.timeBudgetSeconds", 0L);
        Path report = Path.of(System.getProperty("bench.report", OUT.resolve("informer-scale.txt").toString()));
        long start = System.nanoTime();
        Files.createDirectories(OUT);
        Cluster cluster = Cluster.forBench();
        int code = 0;
        try {
            cluster.unregister();
            cluster.webhook.stop();
            say(report, "bench: API server %s, %d CPUs, load average %s; NADs per namespace %d, %d creates in flight;"
                    + " webhook: taskset -c %s bin/netattach serve (JAVA_OPTS empty, AOT cache %s), informer catalog, all namespaces",
                    cluster.admin.getKubernetesVersion().getGitVersion(), Runtime.getRuntime().availableProcessors(),
                    loadavg(), perNamespace, concurrency, serverCpu,
                    Files.exists(Cluster.ROOT.resolve("target/quarkus-app/app.aot")) ? "present" : "absent");
            Path kubeconfig = Cluster.write(Cluster.WORK.resolve("informer-scale.kubeconfig"),
                    cluster.serviceAccountKubeconfig("netattach-system", "netattach-webhook"));
            KubernetesClient client = creatingClient(cluster, concurrency);
            List<Row> rows = new ArrayList<>();
            int existing = 0;
            for (int size : sizes) {
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                if (budget > 0 && elapsed > budget) {
                    say(report, "bench: time budget of %d s used up after %d s: %d NADs and above not measured", budget, elapsed, size);
                    break;
                }
                String created = create(client, existing, size, perNamespace, concurrency);
                existing = size;
                say(report, "bench: %d NADs in the cluster (%s)", size, created);
                Row row = measure(cluster, kubeconfig, size, serverCpu, created);
                rows.add(row);
                say(report, "bench: %s", line(row, rows.size() > 1 ? rows.get(rows.size() - 2) : null));
            }
            client.close();
            say(report, "%n%s", table(rows));
        } catch (RuntimeException | IOException e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        System.exit(code); // the cluster stops in its shutdown hook
    }

    /** A client for the creates: the admin's kubeconfig, {@code concurrency} requests in flight, no retries. */
    static KubernetesClient creatingClient(Cluster cluster, int concurrency) throws IOException {
        Config c = Config.fromKubeconfig(Files.readString(cluster.adminKubeconfig));
        c.setMaxConcurrentRequests(concurrency * 2);
        c.setMaxConcurrentRequestsPerHost(concurrency * 2);
        c.setRequestRetryBackoffLimit(3);
        return new KubernetesClientBuilder().withConfig(c).build();
    }

    static String namespace(int i) {
        return "scale-%04d".formatted(i);
    }

    /** NAD number {@code i} of the whole catalog: its namespace, name, chain and injection annotations. */
    static GenericKubernetesResource nad(int i, int perNamespace) {
        int ns = i / perNamespace;
        int k = i % perNamespace;
        String name = "net-%03d".formatted(k);
        int a = (ns / 250) % 250;
        int b = ns % 250;
        String config = Nads.chain(name, 100 + k % 3000, "10.%d.%d.%d/16".formatted(a, b, 10 + k % 240), "10.%d.%d.1".formatted(a, b),
                "172.%d.0.0/16".formatted(16 + k % 16));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("netattach.io/inject-selector", k < 10 ? "app=chain-test" : "app=svc-" + k);
        annotations.put("netattach.io/interface", k < 10 ? "eth" + (k + 1) : "net" + (k + 1));
        annotations.put("netattach.io/inject-order", String.valueOf(k + 1));
        return Nads.nad(namespace(ns), name, config, annotations);
    }

    /** Creates NADs {@code from} (inclusive) to {@code to} (exclusive), and their namespaces; says how long it took. */
    static String create(KubernetesClient client, int from, int to, int perNamespace, int concurrency) throws InterruptedException {
        long t0 = System.nanoTime();
        int firstNs = from / perNamespace;
        int lastNs = (to - 1) / perNamespace;
        AtomicInteger conflicts = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> done = new ArrayList<>();
            for (int ns = firstNs; ns <= lastNs; ns++) {
                String name = namespace(ns);
                done.add(pool.submit(() -> client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                        .withLabels(Map.of("netattach.io/injection", "enabled")).endMetadata().build()).serverSideApply()));
            }
            await(done);
            long tNs = System.nanoTime();
            done.clear();
            for (int i = from; i < to; i++) {
                GenericKubernetesResource nad = nad(i, perNamespace);
                done.add(pool.submit(() -> {
                    try {
                        Nads.api(client).inNamespace(nad.getMetadata().getNamespace()).resource(nad).create();
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) {
                            throw e;
                        }
                        conflicts.incrementAndGet(); // left by an earlier run on the same etcd
                    }
                }));
            }
            await(done);
            long t1 = System.nanoTime();
            double seconds = (t1 - tNs) / 1e9;
            return "%d NADs created in %.1f s, %.0f/s, %d namespaces in %.1f s%s".formatted(to - from, seconds,
                    (to - from) / seconds, lastNs - firstNs + 1, (tNs - t0) / 1e9,
                    conflicts.get() > 0 ? ", " + conflicts.get() + " existed already" : "");
        }
    }

    private static void await(List<Future<?>> futures) throws InterruptedException {
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("create failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** One start of the shipped webhook on the current cluster: sync time, reviews, heap, RSS. */
    static Row measure(Cluster cluster, Path kubeconfig, int size, String serverCpu, String created) throws IOException, InterruptedException {
        int port = Cluster.freePort();
        Path log = OUT.resolve("informer-scale-" + size + ".log");
        ProcessBuilder pb = Webhook.launch(cluster, kubeconfig, port, log, List.of("taskset", "-c", serverCpu));
        HttpClient http = cluster.webhookClient();
        String base = "https://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            String body = "";
            long deadline = t0 + Duration.ofMinutes(15).toNanos();
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the webhook exited " + p.exitValue() + ", see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the webhook was not ready within 15 minutes: " + body + ", see " + log);
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    body = r.body();
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    body = e.toString();
                }
                Thread.sleep(20);
            }
            long syncMs = (System.nanoTime() - t0) / 1_000_000;
            Matcher m = Pattern.compile("(\\d+) NADs from the API server").matcher(body);
            int reported = m.find() ? Integer.parseInt(m.group(1)) : -1;
            if (reported != size) {
                throw new IllegalStateException("readiness reports " + reported + " NADs, " + size + " expected: " + body);
            }
            String review = reviews(http, base);
            load(http, base);
            long pid = p.pid();
            Exec gc = jcmd(pid, "GC.run");
            Exec heap = jcmd(pid, "GC.heap_info");
            double heapMb = usedKb(heap.out()) / 1024.0;
            Exec histogram = jcmd(pid, "GC.class_histogram");
            double histogramMb = histogramBytes(histogram.out()) / 1048576.0;
            Files.writeString(OUT.resolve("informer-scale-" + size + ".histogram.txt"), histogram.out());
            int rss = procStatusMb(pid, "VmRSS");
            int peak = procStatusMb(pid, "VmHWM");
            if (!gc.ok() || heapMb <= 0) {
                throw new IllegalStateException("jcmd failed: " + gc.output() + heap.output());
            }
            return new Row(size, syncMs, reported, heapMb, histogramMb, rss, peak, review, created);
        } finally {
            p.destroy();
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /** The NAD review and two pod validation reviews; throws unless each got the expected verdict. */
    static String reviews(HttpClient http, String base) throws IOException, InterruptedException {
        String nad = Files.readString(Cluster.ROOT.resolve("src/test/resources/admission/reviews/nad-create-management-net.json"));
        long t0 = System.nanoTime();
        expect(http, base + NAD_PATH, nad, true);
        double nadMs = (System.nanoTime() - t0) / 1e6;
        expect(http, base + "/validate/pods", podReview("net-000@eth1,net-001@eth2"), true);
        expect(http, base + "/validate/pods", podReview("absent-net@eth1"), false);
        return "first NAD review %.1f ms, allowed; pod naming %s/net-000 allowed, naming an absent NAD denied"
                .formatted(nadMs, namespace(0));
    }

    /** The realistic pod CREATE review, moved to the first bench namespace, with this networks annotation. */
    static String podReview(String networks) throws IOException {
        ObjectNode review = (ObjectNode) RenderedBundle.JSON.readTree(
                Cluster.ROOT.resolve("src/test/resources/admission/reviews/pod-create-chain-test.json").toFile());
        ObjectNode request = (ObjectNode) review.get("request");
        request.put("namespace", namespace(0));
        ObjectNode metadata = (ObjectNode) request.get("object").get("metadata");
        metadata.put("namespace", namespace(0));
        ((ObjectNode) metadata.get("annotations")).put("k8s.v1.cni.cncf.io/networks", networks);
        return review.toString();
    }

    static void expect(HttpClient http, String url, String review, boolean allowed) throws IOException, InterruptedException {
        HttpResponse<String> r = post(http, url, review);
        JsonNode body = RenderedBundle.JSON.readTree(r.body());
        if (r.statusCode() != 200 || body.path("response").path("allowed").asBoolean(!allowed) != allowed) {
            throw new IllegalStateException(url + ": expected allowed=" + allowed + ", got HTTP " + r.statusCode() + " " + r.body());
        }
    }

    static HttpResponse<String> post(HttpClient http, String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** 2,000 pod mutation reviews from 4 keep-alive clients, as the directory scale run sends before measuring. */
    static void load(HttpClient http, String base) throws IOException, InterruptedException {
        String review = podReview("");
        ObjectNode tree = (ObjectNode) RenderedBundle.JSON.readTree(review);
        ((ObjectNode) tree.get("request").get("object").get("metadata").get("annotations")).remove("k8s.v1.cni.cncf.io/networks");
        String body = tree.toString();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        HttpResponse<String> r = post(http, base + "/mutate/pods", body);
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("mutate: HTTP " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            await(done);
        }
    }

    static Exec jcmd(long pid, String command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        return Exec.run(Cluster.ROOT, Map.of(), null, List.of(jcmd, String.valueOf(pid), command));
    }

    /** Used KB of the young and old generation in {@code GC.heap_info} (Serial GC). */
    static long usedKb(String heapInfo) {
        Matcher m = Pattern.compile("(?im)^\\s*(DefNew|Tenured|def new generation|tenured generation)\\b.*?used (\\d+)K").matcher(heapInfo);
        long kb = 0;
        while (m.find()) {
            kb += Long.parseLong(m.group(2));
        }
        return kb;
    }

    /** The bytes of the {@code Total} line of {@code GC.class_histogram} (live objects: it runs a full GC). */
    static long histogramBytes(String histogram) {
        Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static int procStatusMb(long pid, String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field + ":")) {
                return (int) (Long.parseLong(l.replaceAll("\\D", "")) / 1024);
            }
        }
        return -1;
    }

    static String line(Row r, Row previous) {
        String s = "%,d NADs: synced (ready) %,d ms after the process start, live heap %.1f MB (histogram %.1f MB), RSS %d MB (peak %d MB); %s"
                .formatted(r.nads(), r.syncMs(), r.heapMb(), r.histogramMb(), r.rssMb(), r.peakRssMb(), r.review());
        if (previous != null) {
            double k = (r.nads() - previous.nads()) / 1000.0;
            s += "; per additional 1,000 NADs: heap %.2f MB, RSS %.2f MB".formatted((r.heapMb() - previous.heapMb()) / k,
                    (r.rssMb() - previous.rssMb()) / k);
        }
        return s;
    }

    static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| NADs | created | synced after start | live heap | RSS (peak) | per additional 1,000 NADs |\n|---|---|---|---|---|---|\n");
        Row previous = null;
        for (Row r : rows) {
            String per = "";
            if (previous != null) {
                double k = (r.nads() - previous.nads()) / 1000.0;
                per = "heap %.2f MB, RSS %.2f MB".formatted((r.heapMb() - previous.heapMb()) / k, (r.rssMb() - previous.rssMb()) / k);
            }
            b.append("| %,d | %s | %.1f s | %.1f MB | %d MB (%d MB) | %s |\n".formatted(r.nads(), r.createdIn(), r.syncMs() / 1000.0,
                    r.heapMb(), r.rssMb(), r.peakRssMb(), per));
            previous = r;
        }
        return b.toString();
    }

    static void say(Path report, String format, Object... args) {
        String text = format.formatted(args);
        System.out.println(text);
        try {
            Files.writeString(report, text + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String loadavg() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
