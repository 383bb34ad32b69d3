package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** REST endpoints never leak a stack trace: every exception becomes a Kubernetes Status body. */
@QuarkusTest
class LastResortExceptionMapperTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void unexpectedExceptionIsAStatusWithoutStackTraceOrMessageDetails() throws Exception {
        Response r = Https.given(https).get("/test/rest-failure/boom");
        assertEquals(500, r.statusCode(), r.asString());
        JsonNode status = Reviews.JSON.readTree(r.asString());
        assertEquals("Status", status.path("kind").asText());
        assertEquals("InternalError", status.path("reason").asText());
        assertEquals("internal error (IllegalStateException); the server log has the details", status.path("message").asText());
        assertFalse(r.asString().contains("secret internals") || r.asString().contains("\tat "), r.asString());
    }

    @Test
    void clientErrorKeepsItsCode() throws Exception {
        Response r = Https.given(https).get("/test/rest-failure/not-found");
        assertEquals(404, r.statusCode(), r.asString());
        JsonNode status = Reviews.JSON.readTree(r.asString());
        assertEquals("NotFound", status.path("reason").asText());
        assertEquals("no such thing", status.path("message").asText());
    }
}
