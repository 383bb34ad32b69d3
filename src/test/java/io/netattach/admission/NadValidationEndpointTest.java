package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /validate/network-attachment-definitions} over real HTTPS. */
@QuarkusTest
class NadValidationEndpointTest {

    private static final String PATH = NadValidationHandler.PATH;

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    private JsonNode post(String body) {
        Response response = Https.given(https).contentType("application/json").body(body).post(PATH);
        assertEquals(200, response.statusCode(), () -> "HTTP status, body: " + response.asString());
        assertEquals("application/json", response.contentType());
        try {
            return Reviews.JSON.readTree(response.asByteArray());
        } catch (java.io.IOException e) {
            throw new AssertionError("response is not JSON: " + response.asString(), e);
        }
    }

    @Test
    void seedManagementNadAsSentByTheApiServerIsAllowed() {
        String body = Https.resource(Reviews.MANAGEMENT_CREATE);
        JsonNode review = post(body);
        assertEquals("admission.k8s.io/v1", review.path("apiVersion").asText());
        assertEquals("AdmissionReview", review.path("kind").asText());
        assertEquals("0f7c8a3e-2b4d-4d7e-9a51-7c2e6b1d9f40", review.path("response").path("uid").asText());
        assertTrue(review.path("response").path("allowed").asBoolean(), review::toString);
        for (JsonNode w : review.path("response").path("warnings")) {
            assertFalse(w.asText().contains("/spec/config/plugins/0/vlan"),
                    "the bundled macvlan honours vlan: no warning unless upstream-plugins=true: " + w);
        }
    }

    @Test
    void invalidInjectSelectorIsAWarningAndTheNadIsAllowed() {
        ObjectNode nad = Reviews.nad("management-net",
                "{\"cniVersion\":\"1.0.0\",\"name\":\"management-net\",\"type\":\"macvlan\",\"master\":\"br-ex\",\"ipam\":{}}");
        ((ObjectNode) nad.path("metadata")).putObject("annotations").put("netattach.io/inject-selector", "app notin x");
        JsonNode review = post(Reviews.toJson(Reviews.review("CREATE", nad, null)));
        assertTrue(review.path("response").path("allowed").asBoolean(), review::toString);
        List<String> warnings = new ArrayList<>();
        review.path("response").path("warnings").forEach(w -> warnings.add(w.asText()));
        assertEquals(1, warnings.size(), warnings::toString);
        // the reason first and whole, then where
        assertTrue(warnings.getFirst().startsWith("annotation netattach.io/inject-selector: "), warnings::toString);
        assertTrue(warnings.getFirst().endsWith("(at /metadata/annotations/netattach.io~1inject-selector)"), warnings::toString);
    }

    @Test
    void allowedResponseHasExactlyTheWireFieldsTheApiServerReads() {
        JsonNode review = post(Https.resource(Reviews.MANAGEMENT_CREATE));
        assertEquals(List.of("apiVersion", "kind", "response"), fieldNames(review));
        List<String> responseFields = fieldNames(review.path("response"));
        assertEquals(List.of("uid", "allowed"), responseFields.subList(0, 2));
        assertFalse(responseFields.contains("status"), "no status on an allowed review: " + review);
        assertFalse(responseFields.contains("patch"), "a validating webhook sends no patch: " + review);
    }

    @Test
    void responseDecodesAsFabric8AdmissionReview() throws Exception {
        ObjectNode request = Reviews.review("CREATE", Reviews.nad("bad-net", "not json"), null);
        Response response = Https.given(https).contentType("application/json").body(Reviews.toJson(request)).post(PATH);
        AdmissionReview review = Reviews.JSON.readValue(response.asByteArray(), AdmissionReview.class);
        assertEquals("admission.k8s.io/v1", review.getApiVersion());
        assertEquals(Reviews.uid(request), review.getResponse().getUid());
        assertFalse(review.getResponse().getAllowed());
        assertEquals(403, review.getResponse().getStatus().getCode());
        assertEquals("Forbidden", review.getResponse().getStatus().getReason());
        assertTrue(review.getResponse().getStatus().getMessage().contains("/spec/config: "),
                review.getResponse().getStatus().getMessage());
    }

    @Test
    void reviewOverHttp2IsAnsweredLikeOverHttp1() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {Https.trustAll()}, null);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).sslContext(context).build();
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create("https://localhost:" + https.getPort() + PATH))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Https.resource(Reviews.MANAGEMENT_CREATE)))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, response.version(), "ALPN h2 negotiated");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode review = Reviews.JSON.readTree(response.body());
        assertEquals("0f7c8a3e-2b4d-4d7e-9a51-7c2e6b1d9f40", review.path("response").path("uid").asText());
        assertTrue(review.path("response").path("allowed").asBoolean(), response.body());
    }

    @Test
    void seedSipNadIsAllowed() {
        ObjectNode request = Reviews.review("CREATE", Reviews.manifest("deploy/examples/sip.yaml"), null);
        JsonNode review = post(Reviews.toJson(request));
        assertEquals(Reviews.uid(request), review.path("response").path("uid").asText());
        assertTrue(review.path("response").path("allowed").asBoolean(), review::toString);
    }

    @Test
    void invalidConfigIsDeniedWithEachErrorAndItsPath() {
        ObjectNode request = Reviews.review("CREATE", Reviews.nad("bad-net", "{\"cniVersion\": \"1.0.0\", "), null);
        JsonNode response = post(Reviews.toJson(request)).path("response");
        assertFalse(response.path("allowed").asBoolean(true), response::toString);
        JsonNode status = response.path("status");
        assertEquals(403, status.path("code").asInt());
        assertEquals("Forbidden", status.path("reason").asText());
        assertEquals("Failure", status.path("status").asText());
        String message = status.path("message").asText();
        assertTrue(message.startsWith("NetworkAttachmentDefinition chain-example/bad-net is invalid ("), message);
        assertTrue(message.contains("/spec/config: "), message);
        JsonNode causes = status.path("details").path("causes");
        assertTrue(causes.isArray() && !causes.isEmpty(), status::toString);
        for (JsonNode cause : causes) {
            assertTrue(cause.path("field").asText().startsWith("/spec/config"), cause::toString);
            assertTrue(message.contains(cause.path("field").asText() + ": " + cause.path("message").asText()),
                    () -> "every cause is in the message: " + cause + " / " + message);
        }
        assertEquals("NetworkAttachmentDefinition", status.path("details").path("kind").asText());
    }

    @Test
    void everyErrorOfAChainIsListedWithItsPath() {
        String config = "{\"cniVersion\": \"2.0.0\", \"name\": \"bad-net\", \"plugins\": ["
                + "{\"type\": \"../../../usr/bin/evil\"}, {\"type\": \"route-override\", \"flushroutes\": \"true\"}]}";
        ObjectNode request = Reviews.review("CREATE", Reviews.nad("bad-net", config), null);
        JsonNode response = post(Reviews.toJson(request)).path("response");
        assertFalse(response.path("allowed").asBoolean(true), response::toString);
        String message = response.path("status").path("message").asText();
        for (String path : List.of("/spec/config/cniVersion: ", "/spec/config/plugins/0/type: ",
                "/spec/config/plugins/1/flushroutes: ")) {
            assertTrue(message.contains(path), () -> "no " + path + " in " + message);
        }
        assertTrue(message.contains("../../../usr/bin/evil"), message);
        JsonNode causes = response.path("status").path("details").path("causes");
        assertTrue(causes.size() >= 3, causes::toString);
        assertTrue(message.matches(".* is invalid \\(" + causes.size() + " errors\\): .*"), message);
    }

    @Test
    void missingConfigIsAllowedWithAWarningNamingThePath() {
        ObjectNode request = Reviews.review("CREATE", Reviews.nad("file-net", null), null);
        JsonNode response = post(Reviews.toJson(request)).path("response");
        assertTrue(response.path("allowed").asBoolean(), response::toString);
        JsonNode warnings = response.path("warnings");
        assertTrue(warnings.isArray() && !warnings.isEmpty(), response::toString);
        boolean named = false;
        for (JsonNode w : warnings) {
            assertTrue(w.asText().length() <= Warnings.MAX_LENGTH, w::asText);
            named |= w.asText().endsWith("(at /spec/config)");
        }
        assertTrue(named, warnings::toString);
    }

    @Test
    void updateIsValidatedOnTheNewObject() {
        ObjectNode good = Reviews.manifest("deploy/examples/management.yaml");
        ObjectNode bad = Reviews.nad("management-net", "[\"not\", \"an\", \"object\"]");
        JsonNode denied = post(Reviews.toJson(Reviews.review("UPDATE", bad, good))).path("response");
        assertFalse(denied.path("allowed").asBoolean(true), denied::toString);
        JsonNode allowed = post(Reviews.toJson(Reviews.review("UPDATE", good, bad))).path("response");
        assertTrue(allowed.path("allowed").asBoolean(), allowed::toString);
    }

    @Test
    void deleteIsAllowedWhateverTheOldObject() {
        ObjectNode request = Reviews.review("DELETE", null, Reviews.nad("bad-net", "not json"));
        ((ObjectNode) request.get("request")).putObject("options").put("kind", "DeleteOptions").put("apiVersion", "meta.k8s.io/v1");
        JsonNode review = post(Reviews.toJson(request));
        assertEquals(Reviews.uid(request), review.path("response").path("uid").asText());
        assertTrue(review.path("response").path("allowed").asBoolean(), review::toString);
        assertNull(review.path("response").get("status"));
    }

    @Test
    void connectIsAllowed() {
        ObjectNode request = Reviews.review("CONNECT", null, null);
        assertTrue(post(Reviews.toJson(request)).path("response").path("allowed").asBoolean());
    }

    @Test
    void createWithoutObjectIsDeniedNotAnError() {
        ObjectNode request = Reviews.review("CREATE", null, null);
        JsonNode response = post(Reviews.toJson(request)).path("response");
        assertFalse(response.path("allowed").asBoolean(true));
        assertTrue(response.path("status").path("message").asText().contains("request.object is missing"), response::toString);
    }

    @Test
    void handlerFailureIsADenyingReviewWithoutStackTraceNotAnHttp500() {
        ObjectNode request = Reviews.review("CREATE", Reviews.nad("x", "{}"), null);
        Response response = Https.given(https).contentType("application/json").body(Reviews.toJson(request))
                .post(FailingHandler.PATH);
        assertEquals(200, response.statusCode(), response::asString);
        String body = response.asString();
        assertFalse(body.contains("at io.") || body.contains("deliberate failure") || body.contains("\tat "), body);
        assertTrue(body.contains("\"allowed\":false") && body.contains("\"InternalError\""), body);
        assertTrue(body.contains(Reviews.uid(request)), body);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
