package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /q/health/live}, {@code /q/health/ready} and {@code /q/metrics} over HTTPS. */
@QuarkusTest
class HealthAndMetricsTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void livenessIsUp() throws Exception {
        Response r = Https.given(https).get("/q/health/live");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("UP", Reviews.JSON.readTree(r.asString()).path("status").asText());
    }

    @Test
    void readinessIsUpAndReportsEndpointsAndServedCertificate() throws Exception {
        Response r = Https.given(https).get("/q/health/ready");
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode health = Reviews.JSON.readTree(r.asString());
        assertEquals("UP", health.path("status").asText(), r.asString());
        JsonNode check = null;
        for (JsonNode c : health.path("checks")) {
            if (c.path("name").asText().equals("netattach-webhook")) {
                check = c;
            }
        }
        assertTrue(check != null, r.asString());
        assertEquals("UP", check.path("status").asText());
        assertTrue(check.path("data").path("endpoints").asText().contains(NadValidationHandler.PATH), r.asString());
        String fingerprint = check.path("data").path("certificate-sha256").asText();
        assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), r.asString());
    }

    @Test
    void metricsCountReviewsByEndpointAndVerdictWithALatencyHistogram() {
        String endpoint = NadValidationHandler.PATH;
        double allowed = reviews(endpoint, "allowed");
        double denied = reviews(endpoint, "denied");
        double error = reviews(endpoint, "error");
        double count = histogramCount(endpoint);

        Https.given(https).contentType("application/json").body(Https.resource(Reviews.MANAGEMENT_CREATE)).post(endpoint)
                .then().statusCode(200);
        Https.given(https).contentType("application/json")
                .body(Reviews.toJson(Reviews.review("CREATE", Reviews.nad("bad-net", "not json"), null))).post(endpoint)
                .then().statusCode(200);
        Https.given(https).contentType("text/plain").body("x").post(endpoint).then().statusCode(415);
        Https.given(https).contentType("application/json").body("{}").post(endpoint).then().statusCode(400);

        assertEquals(allowed + 1, reviews(endpoint, "allowed"));
        assertEquals(denied + 1, reviews(endpoint, "denied"));
        assertEquals(error + 2, reviews(endpoint, "error"));
        assertEquals(count + 4, histogramCount(endpoint));
        String metrics = metrics();
        assertTrue(metrics.contains("netattach_admission_review_duration_seconds_bucket{endpoint=\"" + endpoint + "\",le=\""),
                "latency histogram buckets missing");
    }

    @Test
    void metricsCountEveryFindingBySeverity() throws Exception {
        String endpoint = NadValidationHandler.PATH;
        double errors = findings(endpoint, "error");
        double warnings = findings(endpoint, "warning");
        // denied: a macvlan config with errors, plus a broken injection annotation (a warning)
        com.fasterxml.jackson.databind.node.ObjectNode bad = Reviews.nad("bad-findings",
                "{\"cniVersion\":\"1.0.0\",\"type\":\"macvlan\",\"master\":\"eth0/..\",\"mode\":\"sideways\","
                        + "\"mtu\":-5,\"ipam\":{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.300/24\"}]}}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.path("metadata")).putObject("annotations")
                .put(io.netattach.injection.NadInfo.INJECT_SELECTOR, "app in (x");
        JsonNode denied = Reviews.JSON.readTree(Https.given(https).contentType("application/json")
                .body(Reviews.toJson(Reviews.review("CREATE", bad, null))).post(endpoint).then().statusCode(200).extract().asString());
        JsonNode allowed = Reviews.JSON.readTree(Https.given(https).contentType("application/json")
                .body(Https.resource(Reviews.MANAGEMENT_CREATE)).post(endpoint).then().statusCode(200).extract().asString());
        assertEquals(false, denied.path("response").path("allowed").asBoolean(true), denied.toString());
        int deniedErrors = denied.path("response").path("status").path("details").path("causes").size();
        int sentWarnings = denied.path("response").path("warnings").size() + allowed.path("response").path("warnings").size();
        assertTrue(deniedErrors >= 3, denied.toString());
        assertTrue(denied.path("response").path("warnings").size() >= 1, denied.toString());
        assertEquals(errors + deniedErrors, findings(endpoint, "error"), denied.toString());
        assertEquals(warnings + sentWarnings, findings(endpoint, "warning"), denied + "\n" + allowed);
    }

    private double findings(String endpoint, String severity) {
        return value(metrics(), "netattach_admission_findings_total\\{endpoint=\"" + Pattern.quote(endpoint)
                + "\",severity=\"" + severity + "\"\\}");
    }

    private String metrics() {
        Response r = Https.given(https).get("/q/metrics");
        assertEquals(200, r.statusCode());
        return r.asString();
    }

    private double reviews(String endpoint, String verdict) {
        return value(metrics(), "netattach_admission_reviews_total\\{endpoint=\"" + Pattern.quote(endpoint)
                + "\",verdict=\"" + verdict + "\"\\}");
    }

    private double histogramCount(String endpoint) {
        return value(metrics(), "netattach_admission_review_duration_seconds_count\\{endpoint=\"" + Pattern.quote(endpoint) + "\"\\}");
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
        assertTrue(m.find(), () -> "no series " + series + " in:\n" + metrics.lines()
                .filter(l -> l.startsWith("netattach_")).reduce("", (a, b) -> a + b + "\n"));
        return Double.parseDouble(m.group(1));
    }
}
