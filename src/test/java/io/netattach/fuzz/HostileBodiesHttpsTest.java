package io.netattach.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.admission.Https;
import io.netattach.admission.NadValidationHandler;
import io.netattach.admission.PodMutationHandler;
import io.netattach.admission.PodValidationHandler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile sizes over real HTTPS against the webhook: every body is answered with the exact status
 * and message, never a 500 or a stack trace (no timing is asserted).
 */
@QuarkusTest
class HostileBodiesHttpsTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    static final String NAD_REVIEW = "src/test/resources/admission/reviews/nad-create-management-net.json";
    static final String POD_REVIEW = "src/test/resources/admission/reviews/pod-create-chain-test.json";

    static ObjectNode load(String file) {
        try {
            return (ObjectNode) Seeds.JSON.readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response post(String path, byte[] body) {
        return Https.given(https).contentType("application/json").body(body).post(path);
    }

    private static JsonNode json(Response r) {
        String body = r.asString();
        assertFalse(body.contains("\tat ") || body.contains("Exception:"), "stack trace: " + body);
        try {
            return Seeds.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** A NAD review whose object's spec.config is {@code config}. */
    static byte[] nadReview(String config) {
        ObjectNode review = load(NAD_REVIEW);
        ((ObjectNode) review.path("request").path("object").path("spec")).put("config", config);
        return review.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The first cause of a denied review: {@code field: message}. */
    static String denial(JsonNode review) {
        assertEquals(false, review.path("response").path("allowed").asBoolean(true), review.toString());
        assertEquals(403, review.path("response").path("status").path("code").asInt());
        JsonNode causes = review.path("response").path("status").path("details").path("causes");
        assertEquals(1, causes.size(), review.toString());
        return causes.get(0).path("field").asText() + ": " + causes.get(0).path("message").asText();
    }

    @Test
    void bodyNested10000DeepIs400() {
        Response r = post(NadValidationHandler.PATH, ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("request body is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed "
                + "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)", json(r).path("message").asText());
    }

    @Test
    void invalidUtf8Is400() {
        byte[] body = nadReview("{}");
        int at = new String(body, StandardCharsets.UTF_8).indexOf("management-net");
        body[at] = (byte) 0xFF;
        Response r = post(NadValidationHandler.PATH, body);
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(json(r).path("message").asText().matches("request body is not valid JSON at line 1, column \\d+: Invalid UTF-8 start byte 0xff"),
                r.asString());
    }

    @Test
    void bodyOfThreeMiBPlusOneIs413() {
        byte[] review = nadReview("x");
        String padded = new String(review, StandardCharsets.UTF_8).replace("\"config\":\"x\"",
                "\"config\":\"" + "x".repeat(3 * 1024 * 1024 + 1 - review.length + 1) + "\"");
        byte[] body = padded.getBytes(StandardCharsets.UTF_8);
        assertEquals(3 * 1024 * 1024 + 1, body.length);
        // Expect: 100-continue lets the server refuse on Content-Length before the body is sent (as the
        // API server's client does not, the edge also closes the connection after the 413).
        java.net.http.HttpResponse<String> r;
        try {
            r = client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + https.getPort() + NadValidationHandler.PATH))
                    .header("Content-Type", "application/json").expectContinue(true)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(413, r.statusCode(), r.body());
        JsonNode problem;
        try {
            problem = Seeds.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals("request body of 3145729 bytes exceeds the limit of 3145728 bytes (3 MiB)", problem.path("message").asText());
    }

    static java.net.http.HttpClient client() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {Https.trustAll()}, null);
            return java.net.http.HttpClient.newBuilder().sslContext(context).version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(java.time.Duration.ofSeconds(10)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pluginArrayOf10000IsDeniedWithOneCause() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"plugins\":["
                + String.join(",", Collections.nCopies(10_000, "{\"type\":\"macvlan\",\"master\":\"eth0\"}")) + "]}";
        Response r = post(NadValidationHandler.PATH, nadReview(config));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("/spec/config: spec.config has more than 2000 JSON values: netattach does not check a config this large "
                + "(a network config has a few dozen)", denial(json(r)));
    }

    @Test
    void oneMegabyteStringIsDeniedWithAShortQuote() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"macvlan\",\"master\":\"" + "x".repeat(1_000_000) + "\"}";
        Response r = post(NadValidationHandler.PATH, nadReview(config));
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().length() < 4000, r.asString().length() + " characters");
        assertEquals("/spec/config/master: master \"" + "x".repeat(64) + "\"... (1000000 characters) is not a valid interface name: "
                + "it is 1000000 bytes long, the limit is 15 bytes of UTF-8 (1-15 bytes without \"/\", \":\" or whitespace)", denial(json(r)));
    }

    @Test
    void configOverOneMebibyteIsDeniedBySize() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"macvlan\",\"master\":\"" + "x".repeat(2_000_000) + "\"}";
        Response r = post(NadValidationHandler.PATH, nadReview(config));
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("/spec/config: spec.config is " + config.length() + " bytes, more than the limit of 1048576 bytes", denial(json(r)));
    }

    @Test
    void podWithHostileNetworksAnnotationsIsAnsweredOnBothPodEndpoints() {
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"name\":\"net-").append(i).append("\"}");
        }
        for (String annotation : new String[] {many.append("]").toString(), "a".repeat(1_000_000), "[".repeat(10_000)}) {
            ObjectNode review = load(POD_REVIEW);
            ((ObjectNode) review.path("request").path("object").path("metadata")).putObject("annotations")
                    .put("k8s.v1.cni.cncf.io/networks", annotation);
            byte[] body = review.toString().getBytes(StandardCharsets.UTF_8);
            for (String path : new String[] {PodValidationHandler.PATH, PodMutationHandler.PATH}) {
                Response r = post(path, body);
                assertEquals(200, r.statusCode(), () -> path + ": " + r.asString().substring(0, Math.min(500, r.asString().length())));
                JsonNode out = json(r);
                assertEquals(review.path("request").path("uid").asText(), out.path("response").path("uid").asText());
                assertFalse(out.path("response").path("status").path("reason").asText().equals("InternalError"), out.toString());
                // a denial or warnings stay small; a patch re-renders the annotation (base64), so it is bounded by the input
                int limit = path.equals(PodMutationHandler.PATH) ? 64 * 1024 + body.length * 2 : 64 * 1024;
                assertTrue(r.asString().length() < limit, path + ": answer of " + r.asString().length() + " characters");
            }
        }
    }
}
