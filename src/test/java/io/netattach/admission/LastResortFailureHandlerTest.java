package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A route that throws answers a Kubernetes Status body without stack trace or exception message. */
@QuarkusTest
class LastResortFailureHandlerTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void failingRouteIsAStatusWithoutStackTrace() throws Exception {
        Response r = Https.given(https).get(FailingRoute.PATH);
        assertEquals(500, r.statusCode(), r.asString());
        JsonNode status = Reviews.JSON.readTree(r.asString());
        assertEquals("Status", status.path("kind").asText(), r.asString());
        assertEquals("InternalError", status.path("reason").asText());
        assertEquals("internal error (IllegalStateException); the server log has the details", status.path("message").asText());
        assertFalse(r.asString().contains("secret internals") || r.asString().contains("\tat ")
                || r.asString().contains("at io."), r.asString());
    }
}
