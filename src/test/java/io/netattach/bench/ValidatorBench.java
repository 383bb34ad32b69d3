package io.netattach.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.netattach.cni.Finding;
import io.netattach.validation.NadValidator;
import io.netattach.validation.ValidationOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * In-process micro-benchmark of {@link NadValidator#validate} (not a test): the NAD as the webhook hands
 * it over (a parsed JsonNode with {@code spec.config} still a string), warm-up, then timed single calls.
 * Prints mean, trimmed mean (without the slowest 1 %), p50, p90, p99 and max per validation. Target: under 20 µs on the seed config.
 *
 * <p>Run with {@code bench/validator.sh [--warmup N] [--iterations N]}.
 */
public final class ValidatorBench {

    private static volatile int sink;

    private ValidatorBench() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = 200_000;
        int iterations = 500_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        YAMLMapper yaml = new YAMLMapper();
        JsonNode management = yaml.readTree(Files.readString(Path.of("deploy/examples/management.yaml")));
        JsonNode sip = yaml.readTree(Files.readString(Path.of("deploy/examples/sip.yaml")));
        ObjectNode broken = management.deepCopy();
        ((ObjectNode) broken.get("spec")).put("config", management.path("spec").path("config").asText()
                .replace("\"bridge\"", "\"bridged\"").replace("192.168.100.1\"\n", "fd00::1\"\n").replace("10.0.0.0/8", "10.0.0.1/8"));

        NadValidator bundled = new NadValidator(ValidationOptions.defaults());
        NadValidator upstream = new NadValidator(new ValidationOptions(true, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES));
        System.out.printf(Locale.ROOT, "NadValidator micro-benchmark: %s, %d warm-up + %d timed validations per case, 1 thread%n",
                Runtime.version(), warmup, iterations);
        run("seed management-net", bundled, management, warmup, iterations);
        run("seed sip-net", bundled, sip, warmup, iterations);
        run("seed management-net, upstream-plugins", upstream, management, warmup, iterations);
        run("management-net with 4 mistakes", bundled, broken, warmup, iterations);
    }

    private static void run(String name, NadValidator validator, JsonNode nad, int warmup, int iterations) {
        List<Finding> findings = validator.validate(nad);
        for (int i = 0; i < warmup; i++) {
            sink += validator.validate(nad).size();
        }
        long[] samples = new long[iterations];
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            sink += validator.validate(nad).size();
            samples[i] = System.nanoTime() - t0;
        }
        long total = System.nanoTime() - start;
        Arrays.sort(samples);
        // On a busy machine a few calls are descheduled for milliseconds; the trimmed mean leaves out the slowest 1 %.
        int kept = samples.length - samples.length / 100;
        long keptSum = 0;
        for (int i = 0; i < kept; i++) {
            keptSum += samples[i];
        }
        System.out.printf(Locale.ROOT, "%-38s findings %d  mean %6.2f µs  trimmed mean %5.2f µs  p50 %5.2f µs  p90 %5.2f µs  "
                        + "p99 %5.2f µs  max %8.1f µs%n",
                name, findings.size(), total / 1000.0 / iterations, keptSum / 1000.0 / kept, pct(samples, 50), pct(samples, 90),
                pct(samples, 99), samples[samples.length - 1] / 1000.0);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))] / 1000.0;
    }
}
