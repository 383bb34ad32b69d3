package io.netattach.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.netattach.cni.Finding;
import io.netattach.validation.NadValidator;
import io.netattach.cni.Severity;
import io.netattach.validation.ValidationOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link NadValidator#validate} on the seed NADs of {@code deploy/examples}, as the webhook hands them
 * over (a parsed tree with {@code spec.config} still a string). Sample time, so JMH prints p50/p90/p99
 * per validation. Target: p50 under 20 µs. Run with {@code bench/validator.sh} (from the repository root).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms256m", "-Xmx256m"})
public class ValidatorBenchmark {

    private NadValidator bundled;
    private NadValidator upstream;
    private JsonNode management;
    private JsonNode sip;
    private JsonNode broken;

    @Setup
    public void setUp() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        management = yaml.readTree(Files.readString(Path.of("deploy/examples/management.yaml")));
        sip = yaml.readTree(Files.readString(Path.of("deploy/examples/sip.yaml")));
        broken = management.deepCopy();
        ((ObjectNode) broken.get("spec")).put("config", management.path("spec").path("config").asText()
                .replace("\"bridge\"", "\"bridged\"").replace("10.0.0.0/8", "10.0.0.1/8"));
        bundled = new NadValidator(ValidationOptions.defaults());
        upstream = new NadValidator(new ValidationOptions(true, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES));
        // what is timed must be what it claims: the seed NADs are clean, the broken one is not
        expect(bundled.validate(management), false, "seed management-net");
        expect(bundled.validate(sip), false, "seed sip-net");
        expect(bundled.validate(broken), true, "management-net with mistakes");
    }

    private static void expect(List<Finding> findings, boolean errors, String what) {
        boolean hasErrors = findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        if (hasErrors != errors) {
            throw new IllegalStateException(what + ": unexpected findings " + findings);
        }
    }

    @Benchmark
    public List<Finding> seedManagementNet() {
        return bundled.validate(management);
    }

    @Benchmark
    public List<Finding> seedSipNet() {
        return bundled.validate(sip);
    }

    @Benchmark
    public List<Finding> seedManagementNetUpstreamPlugins() {
        return upstream.validate(management);
    }

    @Benchmark
    public List<Finding> managementNetWithMistakes() {
        return bundled.validate(broken);
    }
}
