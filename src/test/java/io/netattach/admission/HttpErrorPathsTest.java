package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every HTTP-level refusal of the admission edge, over real HTTPS: code, Status body, no 500, no stack trace. */
@QuarkusTest
class HttpErrorPathsTest {

    private static final String PATH = NadValidationHandler.PATH;
    private static final int LIMIT = AdmissionRoutes.MAX_BODY_BYTES;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private Response post(String contentType, byte[] body) {
        return Https.given(https).contentType(contentType).body(body).post(PATH);
    }

    /** Status code and a Kubernetes Status body whose message contains {@code expected}. */
    private static void assertProblem(int code, String reason, String expected, int status, String body) {
        assertEquals(code, status, body);
        JsonNode json;
        try {
            json = Reviews.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not a JSON Status: " + body, e);
        }
        assertEquals("Status", json.path("kind").asText(), body);
        assertEquals("Failure", json.path("status").asText(), body);
        assertEquals(code, json.path("code").asInt(), body);
        assertEquals(reason, json.path("reason").asText(), body);
        assertTrue(json.path("message").asText().contains(expected), () -> "message should contain \"" + expected + "\": " + body);
        assertNoStackTrace(body);
    }

    private static void assertNoStackTrace(String body) {
        assertFalse(body.contains("\tat ") || body.contains("at io.") || body.contains("at java.")
                || body.contains("Exception:"), () -> "stack trace in response: " + body);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textPlainIs415() {
        Response r = post("text/plain", bytes(Https.resource(Reviews.MANAGEMENT_CREATE)));
        assertProblem(415, "UnsupportedMediaType", "\"text/plain", r.statusCode(), r.asString());
    }

    @Test
    void yamlIs415() {
        Response r = post("application/yaml", bytes("apiVersion: admission.k8s.io/v1"));
        assertProblem(415, "UnsupportedMediaType", "expected application/json", r.statusCode(), r.asString());
    }

    @Test
    void missingContentTypeIs415() throws Exception {
        HttpResponse<String> r = client(HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString(Https.resource(Reviews.MANAGEMENT_CREATE))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(415, "UnsupportedMediaType", "Content-Type header is missing", r.statusCode(), r.body());
    }

    @Test
    void nonUtf8CharsetIs415() {
        Response r = post("application/json; charset=ISO-8859-1", bytes(Https.resource(Reviews.MANAGEMENT_CREATE)));
        assertEquals(415, r.statusCode(), r.asString());
    }

    @Test
    void jsonWithUtf8CharsetIsAccepted() {
        Response r = post("application/json; charset=utf-8", bytes(Https.resource(Reviews.MANAGEMENT_CREATE)));
        assertEquals(200, r.statusCode(), r.asString());
    }

    @Test
    void emptyBodyIs400() {
        Response r = post("application/json", new byte[0]);
        assertProblem(400, "BadRequest", "request body is empty", r.statusCode(), r.asString());
    }

    @Test
    void whitespaceBodyIs400() {
        Response r = post("application/json", bytes(" \n\t "));
        assertProblem(400, "BadRequest", "request body is empty", r.statusCode(), r.asString());
    }

    @Test
    void nonJsonIs400WithPosition() {
        Response r = post("application/json", bytes("{\"apiVersion\": admission}"));
        assertProblem(400, "BadRequest", "request body is not valid JSON at line 1, column", r.statusCode(), r.asString());
    }

    @Test
    void trailingGarbageIs400() {
        Response r = post("application/json", bytes(Https.resource(Reviews.MANAGEMENT_CREATE) + " {}"));
        assertProblem(400, "BadRequest", "not valid JSON", r.statusCode(), r.asString());
    }

    @Test
    void jsonArrayIs400() {
        Response r = post("application/json", bytes("[]"));
        assertProblem(400, "BadRequest", "must be a JSON object (an AdmissionReview), got an array", r.statusCode(), r.asString());
    }

    @Test
    void wrongKindIs400() {
        String body = Https.resource(Reviews.MANAGEMENT_CREATE).replace("\"kind\": \"AdmissionReview\"", "\"kind\": \"Pod\"");
        Response r = post("application/json", bytes(body));
        assertProblem(400, "BadRequest", "kind \"Pod\" is not an AdmissionReview", r.statusCode(), r.asString());
    }

    @Test
    void v1beta1Is400() {
        String body = Https.resource(Reviews.MANAGEMENT_CREATE)
                .replace("\"apiVersion\": \"admission.k8s.io/v1\"", "\"apiVersion\": \"admission.k8s.io/v1beta1\"");
        Response r = post("application/json", bytes(body));
        assertProblem(400, "BadRequest", "apiVersion \"admission.k8s.io/v1beta1\" is not supported", r.statusCode(), r.asString());
    }

    @Test
    void missingUidIs400() {
        String body = Https.resource(Reviews.MANAGEMENT_CREATE).replace("\"uid\": \"0f7c8a3e-2b4d-4d7e-9a51-7c2e6b1d9f40\",", "");
        Response r = post("application/json", bytes(body));
        assertProblem(400, "BadRequest", "request.uid is missing", r.statusCode(), r.asString());
    }

    @Test
    void missingRequestListsEveryProblem() {
        Response r = post("application/json", bytes("{\"kind\": \"AdmissionReview\"}"));
        assertProblem(400, "BadRequest", "apiVersion is missing", r.statusCode(), r.asString());
        assertTrue(r.asString().contains("request is missing"), r.asString());
    }

    @Test
    void bodyOverThreeMiBIs413() {
        byte[] body = paddedReview(LIMIT + 1);
        Response r = post("application/json", body);
        assertProblem(413, "RequestEntityTooLarge", "request body of 3145729 bytes exceeds the limit of 3145728 bytes",
                r.statusCode(), r.asString());
    }

    @Test
    void clientStillWritingALargeBodyReadsThe413InsteadOfABrokenPipe() {
        byte[] body = paddedReview(8 * 1024 * 1024); // refused on Content-Length, then drained
        for (int i = 0; i < 3; i++) {
            Response r = post("application/json", body);
            assertEquals(413, r.statusCode(), r.asString());
        }
        Response next = post("application/json", bytes(Https.resource(Reviews.MANAGEMENT_CREATE)));
        assertEquals(200, next.statusCode(), next.asString());
    }

    @Test
    void bodyOfExactlyThreeMiBIsReviewed() {
        Response r = post("application/json", paddedReview(LIMIT));
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.asString().contains("\"allowed\":true"), r.asString());
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void streamedBodyOverThreeMiBWithoutContentLengthIs413(HttpClient.Version version) throws Exception {
        byte[] body = paddedReview(LIMIT + 64 * 1024);
        HttpResponse<String> r = client(version).send(HttpRequest.newBuilder(uri())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(413, "RequestEntityTooLarge", "exceeds the limit", r.statusCode(), r.body());
    }

    @Test
    void clientExpecting100ContinueGetsItBeforeSendingTheBody() throws Exception {
        byte[] body = bytes(Https.resource(Reviews.MANAGEMENT_CREATE));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {Https.trustAll()}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket("localhost", https.getPort())) {
            socket.setSoTimeout(20_000); // no "100 Continue": the read below times out and the test fails
            var out = socket.getOutputStream();
            out.write(bytes("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\n\r\n"));
            out.flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            assertEquals("HTTP/1.1 100 Continue", in.readLine());
            assertEquals("", in.readLine());
            out.write(body);
            out.flush();
            assertEquals("HTTP/1.1 200 OK", in.readLine());
        }
    }

    @Test
    void clientExpecting100ContinueWithATooLargeBodyGets413() throws Exception {
        byte[] body = paddedReview(LIMIT + 1);
        HttpResponse<String> r = client(HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(uri())
                        .header("Content-Type", "application/json").expectContinue(true).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(413, "RequestEntityTooLarge", "exceeds the limit", r.statusCode(), r.body());
    }

    @Test
    void getIs405WithAllowHeader() {
        Response r = Https.given(https).get(PATH);
        assertProblem(405, "MethodNotAllowed", "method GET is not allowed", r.statusCode(), r.asString());
        assertEquals("POST", r.header("Allow"));
    }

    @Test
    void putIs405() {
        Response r = Https.given(https).contentType("application/json").body(Https.resource(Reviews.MANAGEMENT_CREATE)).put(PATH);
        assertProblem(405, "MethodNotAllowed", "method PUT is not allowed", r.statusCode(), r.asString());
    }

    @Test
    void hostileBodiesNeverGiveA500OrAStackTrace() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String deepObject = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\","
                + "\"operation\":\"CREATE\",\"object\":{\"spec\":{\"config\":" + "[".repeat(900) + "]".repeat(900) + "}}}}";
        List<String> bodies = List.of(
                "null", "true", "42", "\"AdmissionReview\"", "{}", deep, deepObject,
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":\"x\"}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7,\"operation\":\"CREATE\"}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"PATCH\"}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"object\":[]}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"object\":{\"spec\":[]}}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"object\":{\"spec\":{\"config\":{\"type\":\"macvlan\"}}}}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"UPDATE\",\"object\":{\"metadata\":7,\"spec\":{\"config\":\"{\\\"plugins\\\":7}\"}}}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"dryRun\":\"yes\"}}",
                "{\"a\":1e999999999}", "\u0000\u0001\u0002", "{\"apiVersion\":\"\\ud800\"}",
                "\uFEFF{\"apiVersion\":\"admission.k8s.io/v1\"}");
        for (String body : bodies) {
            Response r = post("application/json", bytes(body));
            assertTrue(r.statusCode() == 200 || r.statusCode() == 400,
                    () -> "HTTP " + r.statusCode() + " for " + abbreviate(body) + ": " + r.asString());
            assertNoStackTrace(r.asString());
        }
        byte[] random = new byte[4096];
        new java.util.Random(42).nextBytes(random);
        Response r = post("application/json", random);
        assertEquals(400, r.statusCode(), r.asString());
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /** The seed review padded with trailing whitespace to exactly {@code size} bytes. */
    private static byte[] paddedReview(int size) {
        byte[] review = bytes(Https.resource(Reviews.MANAGEMENT_CREATE));
        byte[] body = Arrays.copyOf(review, size);
        Arrays.fill(body, review.length, size, (byte) ' ');
        return body;
    }

    private URI uri() {
        return URI.create("https://localhost:" + https.getPort() + PATH);
    }

    private static HttpClient client(HttpClient.Version version) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {Https.trustAll()}, null);
        return HttpClient.newBuilder().version(version).sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
