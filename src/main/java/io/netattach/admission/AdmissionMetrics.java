package io.netattach.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the admission edge, created once per endpoint (no lookups per request):
 * <ul>
 *   <li>{@code netattach_admission_reviews_total{endpoint, verdict}}: verdict {@code allowed},
 *       {@code denied} or {@code error} (HTTP-level refusals: 400, 405, 413, 415; internal errors);</li>
 *   <li>{@code netattach_admission_review_duration_seconds{endpoint}}: a histogram from the request
 *       headers to the response written;</li>
 *   <li>{@code netattach_admission_findings_total{endpoint, severity}}: the findings the verdicts were made
 *       of (validation, network plan, cluster networks, annotations), {@code error} or {@code warning},
 *       also those not spelled out in a long denial.</li>
 * </ul>
 */
@ApplicationScoped
public class AdmissionMetrics {

    public static final String REVIEWS = "netattach.admission.reviews";
    public static final String DURATION = "netattach.admission.review.duration";
    public static final String FINDINGS = "netattach.admission.findings";

    /** The verdicts a review can end with. */
    public enum Verdict {
        ALLOWED, DENIED, ERROR;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Inject
    MeterRegistry registry;

    /** The meters of one endpoint. */
    public record Endpoint(Counter allowed, Counter denied, Counter error, Timer duration, Counter errorFindings,
                           Counter warningFindings) {

        public void record(Verdict verdict, long startNanos) {
            record(verdict, AdmissionResponse.Tally.NONE, startNanos);
        }

        public void record(Verdict verdict, AdmissionResponse.Tally findings, long startNanos) {
            switch (verdict) {
                case ALLOWED -> allowed.increment();
                case DENIED -> denied.increment();
                case ERROR -> error.increment();
            }
            if (findings.errors() > 0) {
                errorFindings.increment(findings.errors());
            }
            if (findings.warnings() > 0) {
                warningFindings.increment(findings.warnings());
            }
            duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    public Endpoint forEndpoint(String path) {
        return new Endpoint(counter(path, Verdict.ALLOWED), counter(path, Verdict.DENIED), counter(path, Verdict.ERROR),
                Timer.builder(DURATION)
                        .description("Time to answer an admission review, from request headers to response written")
                        .tag("endpoint", path)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry),
                findings(path, "error"), findings(path, "warning"));
    }

    private Counter findings(String path, String severity) {
        return Counter.builder(FINDINGS)
                .description("Findings behind the admission verdicts, by endpoint and severity")
                .tag("endpoint", path)
                .tag("severity", severity)
                .register(registry);
    }

    private Counter counter(String path, Verdict verdict) {
        return Counter.builder(REVIEWS)
                .description("Admission reviews answered, by endpoint and verdict")
                .tag("endpoint", path)
                .tag("verdict", verdict.label())
                .register(registry);
    }
}
