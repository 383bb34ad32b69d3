// Fixed-rate AdmissionReview load client for bench/soak.sh (run with `java bench/SoakClient.java ...`).
//
// Open loop: request i is due at start + i/rate whatever happened before, and its latency is measured
// from that due time (so a stalled server shows up as latency instead of as a lower rate: no
// coordinated omission). Mixed reviews: NAD validation, pod validation and pod mutation. Every
// interval it prints one line: requests, achieved rate, p50/p90/p99/max latency, errors, server RSS.
// At the end a VERDICT line compares the first and the last interval.
//
// A warm-up of WARMUP seconds ramps the rate from 10% to 100% first (JIT, TLS sessions); it is not reported.
//
// Arguments: BASE_URL RATE SECONDS INTERVAL SERVER_PID NAD_REVIEW POD_REVIEW WARMUP
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

public class SoakClient {

    /** Requests not sent in the measured run because 512 were in flight (counted as errors too). */
    static final AtomicLong DROPPED = new AtomicLong();

    record Window(int index, long requests, double rate, double p50, double p90, double p99, double max, long errors, long rssKb) {
    }

    /** Latencies (microseconds) and errors of one interval; filled by response callbacks. */
    static final class Bucket {
        long[] micros = new long[1024];
        int n;
        long errors;

        synchronized void add(long us) {
            if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
            }
            micros[n++] = us;
        }

        synchronized void error() {
            errors++;
        }
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        double rate = Double.parseDouble(args[1]);
        long seconds = Long.parseLong(args[2]);
        long interval = Long.parseLong(args[3]);
        long pid = Long.parseLong(args[4]);
        byte[] nad = Files.readAllBytes(Path.of(args[5]));
        byte[] pod = Files.readAllBytes(Path.of(args[6]));
        String[] paths = {"/validate/network-attachment-definitions", "/validate/pods", "/validate/network-attachment-definitions", "/mutate/pods"};
        byte[][] bodies = {nad, pod, nad, pod};

        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest[] requests = new HttpRequest[paths.length];
        for (int i = 0; i < paths.length; i++) {
            requests[i] = HttpRequest.newBuilder(URI.create(base + paths[i])).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i])).build();
        }

        long warmup = args.length > 7 ? Long.parseLong(args[7]) : 30;
        if (warmup > 0) {
            System.out.printf("soak: warm-up %d s ramping to %.0f reviews/s (not reported)%n", warmup, rate);
            run(client, requests, rate, warmup, warmup, pid, true, false);
            DROPPED.set(0);
        }
        System.out.printf("soak: %.0f reviews/s for %d s (NAD validate 1/2, pod validate 1/4, pod mutate 1/4), a line every %d s%n",
                rate, seconds, interval);
        System.out.println("window   requests   rate/s   p50 ms   p90 ms   p99 ms   max ms  errors  server RSS MB");
        List<Window> results = run(client, requests, rate, seconds, interval, pid, false, true);
        Window first = results.get(0);
        Window last = results.get(results.size() - 1);
        long errors = results.stream().mapToLong(Window::errors).sum();
        boolean latencyStable = last.p99() <= Math.max(2 * first.p99(), first.p99() + 2.0);
        boolean memoryStable = last.rssKb() <= first.rssKb() * 1.25 + 16 * 1024;
        System.out.printf("VERDICT: %s (p99 first %.2f ms, last %.2f ms; RSS first %d MB, last %d MB; %d errors, %d not sent because 512 were in flight)%n",
                errors == 0 && latencyStable && memoryStable ? "stable" : !latencyStable ? "latency grew" : !memoryStable ? "memory grew" : "errors",
                first.p99(), last.p99(), first.rssKb() / 1024, last.rssKb() / 1024, errors, DROPPED.get());
        System.exit(errors == 0 && latencyStable && memoryStable ? 0 : 1);
    }

    /** One open-loop run; {@code ramp}: the rate grows linearly from 10% to 100% over {@code seconds}. */
    static List<Window> run(HttpClient client, HttpRequest[] requests, double rate, long seconds, long interval, long pid,
                            boolean ramp, boolean print) throws Exception {
        int windows = (int) Math.max(1, (seconds + interval - 1) / interval);
        Bucket[] buckets = new Bucket[windows];
        for (int i = 0; i < windows; i++) {
            buckets[i] = new Bucket();
        }
        Semaphore inFlight = new Semaphore(512);
        List<Window> results = new ArrayList<>();
        long start = System.nanoTime();
        long total = ramp ? (long) (rate * seconds * 0.55) : (long) (rate * seconds);
        int reported = 0;
        for (long i = 0; i < total; i++) {
            // during a ramp the i-th request is due when the ramped rate's integral reaches i
            long due = ramp ? start + (long) (rampSeconds(i, rate, seconds) * 1e9) : start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int w = (int) Math.min(windows - 1, (due - start) / 1_000_000_000L / interval);
            while (reported < w) { // previous window is over: report it once its stragglers had a moment
                results.add(report(reported, buckets[reported], interval, pid, print));
                reported++;
            }
            Bucket bucket = buckets[w];
            if (!inFlight.tryAcquire()) {
                DROPPED.incrementAndGet();
                bucket.error();
                continue;
            }
            int kind = (int) (i % requests.length);
            client.sendAsync(requests[kind], HttpResponse.BodyHandlers.ofString()).whenComplete((r, failure) -> {
                long us = (System.nanoTime() - due) / 1000;
                inFlight.release();
                if (failure != null || r.statusCode() != 200 || !r.body().contains("\"uid\"")) {
                    bucket.error();
                } else {
                    bucket.add(us);
                }
            });
        }
        inFlight.acquire(512); // wait for the last responses
        while (reported < windows) {
            results.add(report(reported, buckets[reported], interval, pid, print));
            reported++;
        }
        return results;
    }

    /** Time (s) at which request i is due when the rate ramps from 0.1*rate to rate over {@code seconds}: solve 0.1rt + 0.45rt^2/T = i. */
    static double rampSeconds(long i, double rate, long seconds) {
        double a = 0.45 * rate / seconds;
        double b = 0.1 * rate;
        return (-b + Math.sqrt(b * b + 4 * a * i)) / (2 * a);
    }

    static Window report(int index, Bucket b, long interval, long pid, boolean print) {
        long[] sorted;
        long errors;
        synchronized (b) {
            sorted = Arrays.copyOf(b.micros, b.n);
            errors = b.errors;
        }
        Arrays.sort(sorted);
        Window w = new Window(index, sorted.length, sorted.length / (double) interval, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0, errors, rssKb(pid));
        if (print) System.out.printf("%6d %10d %8.0f %8.2f %8.2f %8.2f %8.2f %7d %14d%n", index + 1, w.requests(), w.rate(), w.p50(), w.p90(), w.p99(),
                w.max(), w.errors(), w.rssKb() / 1024);
        return w;
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
