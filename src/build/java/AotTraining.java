import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The AOT training run of the packaged webhook: writes the JDK 25 AOT cache {@code app.aot} next to
 * {@code quarkus-run.jar}. Run by the Maven build in {@code package}, right after the jar is built
 * (a cache left from an older jar would be silently reused by JDK 25.0.x, so it is always rebuilt in
 * the same step; {@code -Daot.skip} skips it), and by {@code Dockerfile.jvm} on the image's own JRE
 * (a cache loads only on the JDK build that wrote it).
 *
 * <p>It starts the application exactly as shipped ({@code bin/netattach serve}, with
 * {@code NETATTACH_AOT=record}), standalone on the directory catalog {@code deploy/examples}, waits
 * for the first answer, then sends real AdmissionReviews over HTTPS keep-alive from 4 clients (NAD
 * create allowed and denied, pod mutation, pod validation with and without networks, health and metrics)
 * until {@code REVIEWS} reviews or {@code SECONDS} seconds, and stops the server with SIGTERM: the JVM
 * writes the cache at exit (classes loaded and linked, method profiles of the hot paths). Half of the
 * clients speak HTTP/2 (ALPN h2, one multiplexed connection), as kube-apiserver does when it calls a
 * webhook, and half HTTP/1.1 (two connections), as curl and most tools do: both server paths are then in
 * the cache, classes and profiles.
 *
 * <pre>java src/build/java/AotTraining.java LAUNCHER APP_DIR REVIEWS_DIR CATALOG_DIR LOG [REVIEWS [SECONDS]]</pre>
 *
 * Exit status 0 when the cache was written and every review was answered with HTTP 200, some of them over
 * HTTP/2; 1 otherwise (the log of the training server says why).
 */
public final class AotTraining {

    private static final int CLIENTS = 4;

    private record Call(String path, String body) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: AotTraining LAUNCHER APP_DIR REVIEWS_DIR CATALOG_DIR LOG [REVIEWS [SECONDS]]");
            System.exit(2);
        }
        Path launcher = Path.of(args[0]);
        Path app = Path.of(args[1]);
        Path reviews = Path.of(args[2]);
        Path catalog = Path.of(args[3]);
        Path log = Path.of(args[4]);
        long maxReviews = args.length > 5 ? Long.parseLong(args[5]) : 20_000;
        long maxSeconds = args.length > 6 ? Long.parseLong(args[6]) : 20;
        Path cache = app.resolve("app.aot");

        String nad = Files.readString(reviews.resolve("nad-create-management-net.json"));
        String pod = Files.readString(reviews.resolve("pod-create-chain-test.json"));
        String badNad = nad.replace("\\\"vlan\\\": 100", "\\\"vlan\\\": 5000");
        String podWithNetworks = pod.replace("\"annotations\": {",
                "\"annotations\": {\n          \"k8s.v1.cni.cncf.io/networks\": \"management-net@eth1,sip-net@eth2\",");
        List<Call> calls = List.of(
                new Call("/validate/network-attachment-definitions", nad),
                new Call("/mutate/pods", pod),
                new Call("/validate/network-attachment-definitions", nad),
                new Call("/validate/pods", podWithNetworks),
                new Call("/validate/network-attachment-definitions", badNad),
                new Call("/validate/pods", pod));

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("NETATTACH_APP", app.toAbsolutePath().toString());
        builder.environment().put("NETATTACH_AOT", "record");
        builder.environment().put("QUARKUS_HTTP_SSL_PORT", Integer.toString(port));
        builder.environment().put("NETATTACH_CATALOG_MODE", "directory");
        builder.environment().put("NETATTACH_CATALOG_DIRECTORY", catalog.toAbsolutePath().toString());
        builder.environment().put("QUARKUS_LOG_LEVEL", "WARN");
        builder.environment().remove("JAVA_OPTS");
        long t0 = System.nanoTime();
        Process server = builder.start();
        int status = 1;
        try {
            HttpClient client = client(HttpClient.Version.HTTP_1_1);
            HttpClient h2 = client(HttpClient.Version.HTTP_2);
            String base = "https://localhost:" + port;
            long ready = waitReady(client, base, calls.getFirst(), server);
            AtomicLong sent = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong overH2 = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                HttpClient own = c % 2 == 0 ? client : h2;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (long i = first; sent.get() < maxReviews && System.nanoTime() < deadline; i++) {
                        Call call = calls.get((int) (i % calls.size()));
                        try {
                            HttpResponse<String> response = send(own, base, call);
                            if (response.statusCode() != 200) {
                                failed.incrementAndGet();
                            }
                            if (response.version() == HttpClient.Version.HTTP_2) {
                                overH2.incrementAndGet();
                            }
                            if (i % 500 == 0) {
                                get(own, base + (i % 1000 == 0 ? "/q/health/ready" : "/q/metrics"));
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                        sent.incrementAndGet();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long loaded = System.nanoTime();
            server.destroy(); // SIGTERM: Quarkus shuts down, the JVM writes the cache at exit
            if (!server.waitFor(10, TimeUnit.MINUTES)) {
                System.err.println("aot training: the server did not exit within 10 minutes");
                return;
            }
            long size = Files.exists(cache) ? Files.size(cache) : 0;
            System.out.printf("aot training: first answer after %.1f s, %d reviews (%d over HTTP/2, %d not HTTP 200) in "
                            + "%.1f s, exit %d, cache written in %.1f s: %s (%d MB)%n",
                    (ready - t0) / 1e9, sent.get(), overH2.get(), failed.get(), (loaded - ready) / 1e9, server.exitValue(),
                    (System.nanoTime() - loaded) / 1e9, size > 0 ? cache : "NONE", size >> 20);
            if (overH2.get() == 0) {
                System.err.println("aot training: no review was answered over HTTP/2 (ALPN h2): the cache lacks the path kube-apiserver uses");
            }
            status = size > 0 && failed.get() == 0 && overH2.get() > 0 ? 0 : 1;
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly();
            }
            System.exit(status);
        }
    }

    /** Waits until the server answers a review with HTTP 200 (at most 5 minutes); returns that time. */
    private static long waitReady(HttpClient client, String base, Call call, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the training server exited with status " + server.exitValue());
            }
            try {
                if (send(client, base, call).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the training server did not answer within 5 minutes");
    }

    private static HttpResponse<String> send(HttpClient client, String base, Call call) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + call.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.body()))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void get(HttpClient client, String url) throws IOException, InterruptedException {
        client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** A keep-alive client of that HTTP version that trusts the server's self-signed certificate (a local training run). */
    private static HttpClient client(HttpClient.Version version) throws Exception {
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return HttpClient.newBuilder().version(version).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
