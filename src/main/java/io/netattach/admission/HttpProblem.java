package io.netattach.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An HTTP-level refusal (the body was not an AdmissionReview at all), answered as a Kubernetes
 * {@code Status} object ({@code kind: Status, status: Failure, message, reason, code}) so the API
 * server and humans read it the same way. Never carries a stack trace.
 */
public record HttpProblem(int code, String reason, String message) {

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, "BadRequest", message);
    }

    public static HttpProblem methodNotAllowed(String method, String path) {
        return new HttpProblem(405, "MethodNotAllowed",
                "method " + method + " is not allowed on " + path + ": send the AdmissionReview with POST");
    }

    public static HttpProblem tooLarge(long bytes, long limit) {
        return new HttpProblem(413, "RequestEntityTooLarge", "request body of "
                + (bytes < 0 ? "more than " + limit : String.valueOf(bytes)) + " bytes exceeds the limit of "
                + limit + " bytes (" + (limit / (1024 * 1024)) + " MiB)");
    }

    public static HttpProblem unsupportedMediaType(String contentType) {
        return new HttpProblem(415, "UnsupportedMediaType", contentType == null
                ? "Content-Type header is missing: expected application/json"
                : "Content-Type \"" + contentType + "\" is not supported: expected application/json");
    }

    public static HttpProblem internalError(String message) {
        return new HttpProblem(500, "InternalError", message);
    }

    public byte[] toJson() {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = AdmissionReviewCodec.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("kind", "Status");
            g.writeStringField("apiVersion", "v1");
            g.writeObjectFieldStart("metadata");
            g.writeEndObject();
            g.writeStringField("status", "Failure");
            g.writeStringField("message", message);
            g.writeStringField("reason", reason);
            g.writeNumberField("code", code);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
