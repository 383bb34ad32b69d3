package io.netattach.admission;

import io.netattach.admission.AdmissionReviewCodec.Decoded;
import io.netattach.validation.NadValidator;
import io.netattach.validation.ValidationOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process cost of the admission edge for one review, without TLS and HTTP: decode the
 * AdmissionReview bytes, run the NAD handler, encode the response (run by bench/webhook-pipeline.sh;
 * not a test). Prints mean and percentiles per stage and for the whole pipeline.
 */
public final class WebhookPipelineBench {

    private WebhookPipelineBench() {
    }

    public static void main(String[] args) throws IOException {
        Path review = Path.of(args.length > 0 ? args[0] : "src/test/resources/admission/reviews/nad-create-management-net.json");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        // compact JSON, as the API server sends it
        byte[] body = AdmissionReviewCodec.MAPPER.writeValueAsBytes(AdmissionReviewCodec.MAPPER.readTree(review.toFile()));
        NadValidationHandler handler = new NadValidationHandler(new NadValidator(ValidationOptions.defaults()));

        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += once(body, handler, null, 0);
        }
        long[][] times = new long[4][iterations]; // decode, handle, encode, total
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++) {
            sink += once(body, handler, times, i);
        }
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        System.out.printf("webhook pipeline (decode + NAD handler + encode) on %s, %d bytes, %d iterations after %d warm-up%n",
                review.getFileName(), body.length, iterations, warmup);
        String[] names = {"decode", "handle", "encode", "total"};
        for (int s = 0; s < 4; s++) {
            long[] t = times[s];
            double mean = Arrays.stream(t).average().orElse(0) / 1000.0;
            Arrays.sort(t);
            System.out.printf("  %-7s mean %7.2f us  p50 %7.2f us  p90 %7.2f us  p99 %7.2f us%n", names[s], mean,
                    t[t.length / 2] / 1000.0, t[(int) (t.length * 0.90)] / 1000.0, t[(int) (t.length * 0.99)] / 1000.0);
        }
        System.out.printf("  allocated %,d bytes per review (decode + handle + encode)%n", allocated / iterations);
        if (sink == 42) {
            System.out.println();
        }
    }

    private static long once(byte[] body, NadValidationHandler handler, long[][] times, int i) {
        long t0 = System.nanoTime();
        Decoded.Review review = (Decoded.Review) AdmissionReviewCodec.decode(body);
        long t1 = System.nanoTime();
        AdmissionResponse response = handler.handle(review.request());
        long t2 = System.nanoTime();
        byte[] out = AdmissionReviewCodec.encode(review, response);
        long t3 = System.nanoTime();
        if (times != null) {
            times[0][i] = t1 - t0;
            times[1][i] = t2 - t1;
            times[2][i] = t3 - t2;
            times[3][i] = t3 - t0;
        }
        return out.length + (response.allowed() ? 1 : 0);
    }
}
