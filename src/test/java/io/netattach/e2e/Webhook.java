package io.netattach.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The packaged webhook as users start it ({@code bin/netattach serve}: the one launch configuration, with
 * the build's AOT cache, {@code JAVA_OPTS} emptied) as a child process:
 * HTTPS on a free port with the certificate of {@code certs/generate.sh}, NADs from an informer on the
 * real API server through {@code kubeconfig} (a ServiceAccount token). Output goes to
 * {@code target/e2e/webhook-N.log}.
 */
final class Webhook {

    final Cluster cluster;
    final Path kubeconfig;
    final int port = Cluster.freePort();
    private Process process;
    private int starts;
    Path log;

    Webhook(Cluster cluster, Path kubeconfig) {
        this.cluster = cluster;
        this.kubeconfig = kubeconfig;
    }

    /**
     * The webhook as users start it ({@code bin/netattach serve}, {@code JAVA_OPTS} emptied, the build's AOT
     * cache) on {@code cluster}: informer catalog through {@code kubeconfig}, the suite's certificate, HTTPS
     * on {@code port}, output to {@code log}; {@code prefix} comes before the launcher (e.g. {@code taskset -c 0}).
     */
    static ProcessBuilder launch(Cluster cluster, Path kubeconfig, int port, Path log, List<String> prefix) {
        List<String> command = new java.util.ArrayList<>(prefix);
        command.add(Cluster.ROOT.resolve("bin/netattach").toString());
        command.add("serve");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(Cluster.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        var env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("NETATTACH_APP", Cluster.ROOT.resolve("target/quarkus-app").toString());
        env.remove("JAVA_OPTS");
        env.remove("KUBERNETES_SERVICE_HOST");
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("NETATTACH_CATALOG_MODE", "cluster");
        env.put("NETATTACH_TLS_CERT", cluster.certs.resolve("tls.crt").toString());
        env.put("NETATTACH_TLS_KEY", cluster.certs.resolve("tls.key").toString());
        env.put("QUARKUS_HTTP_SSL_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(Cluster.freePort()));
        return pb;
    }

    synchronized void start() {
        long t0 = System.nanoTime();
        log = Cluster.WORK.resolve("webhook-" + (++starts) + ".log");
        ProcessBuilder pb = launch(cluster, kubeconfig, port, log, List.of());
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        HttpClient client = cluster.webhookClient();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the webhook exited " + process.exitValue() + ", see " + log);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.body();
                if (r.statusCode() == 200) {
                    System.out.printf("e2e: webhook (packaged jar) ready on 127.0.0.1:%d in %d ms%n", port,
                            (System.nanoTime() - t0) / 1_000_000);
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Cluster.sleep(200);
        }
        throw new IllegalStateException("the webhook was not ready within 90 s: " + last + ", see " + log);
    }

    String base() {
        return "https://127.0.0.1:" + port;
    }

    /** GET of a path on the webhook (health, metrics): status and body. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return cluster.webhookClient().send(HttpRequest.newBuilder(URI.create(base() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    long pid() {
        return process.pid();
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
