package io.netattach.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code admission.k8s.io/v1} AdmissionReview on the wire, as the Kubernetes API server sends and
 * expects it, over Jackson trees (the object under review stays exactly as sent, which patches and
 * the validator need). Stateless and thread-safe; one shared mapper.
 */
public final class AdmissionReviewCodec {

    public static final String API_VERSION = "admission.k8s.io/v1";
    public static final String KIND = "AdmissionReview";

    /** The edge's mapper: strict about trailing garbage, nothing else configured. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Outcome of decoding a request body. */
    public sealed interface Decoded {
        /** A well-formed review; {@code apiVersion} is echoed in the response. */
        record Review(String apiVersion, AdmissionRequest request) implements Decoded {
        }

        /** Not an AdmissionReview: every problem found, for a 400 answer. */
        record Rejected(String message) implements Decoded {
        }
    }

    private AdmissionReviewCodec() {
    }

    public static Decoded decode(byte[] body) {
        if (isBlank(body)) {
            return new Decoded.Rejected("request body is empty: expected an AdmissionReview (" + API_VERSION + ")");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new Decoded.Rejected("request body is not valid JSON" + where + ": " + oneLine(firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            return new Decoded.Rejected("request body is not readable JSON: " + oneLine(firstLine(e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            return new Decoded.Rejected("request body must be a JSON object (an AdmissionReview), got "
                    + typeName(root));
        }
        List<String> problems = new ArrayList<>();
        JsonNode apiVersion = root.get("apiVersion");
        if (apiVersion == null || apiVersion.isNull()) {
            problems.add("apiVersion is missing: expected \"" + API_VERSION + "\"");
        } else if (!apiVersion.isTextual() || !apiVersion.asText().equals(API_VERSION)) {
            problems.add("apiVersion " + quote(apiVersion) + " is not supported: expected \"" + API_VERSION + "\"");
        }
        JsonNode kind = root.get("kind");
        if (kind == null || kind.isNull()) {
            problems.add("kind is missing: expected \"" + KIND + "\"");
        } else if (!kind.isTextual() || !kind.asText().equals(KIND)) {
            problems.add("kind " + quote(kind) + " is not an " + KIND);
        }
        JsonNode request = root.get("request");
        String uid = null;
        Operation operation = null;
        if (request == null || request.isNull()) {
            problems.add("request is missing: the API server sends the object under review in request");
        } else if (!request.isObject()) {
            problems.add("request must be an object, got " + typeName(request));
        } else {
            JsonNode uidNode = request.get("uid");
            if (uidNode == null || uidNode.isNull()) {
                problems.add("request.uid is missing");
            } else if (!uidNode.isTextual() || uidNode.asText().isBlank()) {
                problems.add("request.uid must be a non-empty string, got " + quote(uidNode));
            } else {
                uid = uidNode.asText();
            }
            JsonNode op = request.get("operation");
            if (op == null || op.isNull()) {
                problems.add("request.operation is missing: expected CREATE, UPDATE, DELETE or CONNECT");
            } else {
                operation = op.isTextual() ? Operation.parse(op.asText()).orElse(null) : null;
                if (operation == null) {
                    problems.add("request.operation " + quote(op) + " is not one of CREATE, UPDATE, DELETE, CONNECT");
                }
            }
            for (String field : new String[] {"object", "oldObject"}) {
                JsonNode value = request.get(field);
                if (value != null && !value.isNull() && !value.isObject()) {
                    problems.add("request." + field + " must be an object or null, got " + typeName(value));
                }
            }
            JsonNode requestKind = request.get("kind");
            if (requestKind != null && !requestKind.isNull() && !requestKind.isObject()) {
                problems.add("request.kind must be an object {group, version, kind}, got " + typeName(requestKind));
            }
            JsonNode dryRun = request.get("dryRun");
            if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
                problems.add("request.dryRun must be a boolean, got " + quote(dryRun));
            }
        }
        if (!problems.isEmpty()) {
            return new Decoded.Rejected("not an " + API_VERSION + " " + KIND + ": " + String.join("; ", problems));
        }
        JsonNode gvk = request.path("kind");
        return new Decoded.Review(apiVersion.asText(), new AdmissionRequest(
                uid, operation,
                text(gvk.get("group")), text(gvk.get("version")), text(gvk.get("kind")),
                text(request.get("subResource")), text(request.get("namespace")), text(request.get("name")),
                request.get("object"), request.get("oldObject"),
                request.path("dryRun").asBoolean(false), request));
    }

    /** The AdmissionReview answering {@code review}: apiVersion, kind and uid echoed. */
    public static byte[] encode(Decoded.Review review, AdmissionResponse response) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("apiVersion", review.apiVersion());
            g.writeStringField("kind", KIND);
            g.writeObjectFieldStart("response");
            g.writeStringField("uid", review.request().uid());
            g.writeBooleanField("allowed", response.allowed());
            AdmissionResponse.Status status = response.status();
            if (status != null) {
                g.writeObjectFieldStart("status");
                g.writeStringField("status", response.allowed() ? "Success" : "Failure");
                g.writeStringField("message", status.message());
                g.writeStringField("reason", status.reason());
                if (!status.causes().isEmpty()) {
                    g.writeObjectFieldStart("details");
                    AdmissionRequest request = review.request();
                    if (!request.name().isEmpty()) {
                        g.writeStringField("name", request.name());
                    }
                    if (!request.group().isEmpty()) {
                        g.writeStringField("group", request.group());
                    }
                    if (!request.kind().isEmpty()) {
                        g.writeStringField("kind", request.kind());
                    }
                    g.writeArrayFieldStart("causes");
                    for (AdmissionResponse.Cause cause : status.causes()) {
                        g.writeStartObject();
                        g.writeStringField("reason", cause.reason());
                        g.writeStringField("message", cause.message());
                        g.writeStringField("field", cause.field());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeNumberField("code", status.code());
                g.writeEndObject();
            }
            if (!response.warnings().isEmpty()) {
                g.writeArrayFieldStart("warnings");
                for (String w : response.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
            }
            if (response.patch() != null) {
                g.writeStringField("patchType", "JSONPatch");
                g.writeFieldName("patch");
                g.writeBinary(MAPPER.writeValueAsBytes(response.patch())); // []byte in Go: base64 in JSON
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode AdmissionReview: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : "";
    }

    static String typeName(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }

    /** The value as JSON, shortened: quoted strings, literal numbers, the type for containers. */
    private static String quote(JsonNode node) {
        if (node.isContainerNode()) {
            return "(" + typeName(node) + ")";
        }
        String s = node.isTextual() ? io.netattach.cni.Json.quote(node.textValue()) : node.toString();
        return s.length() > 80 ? s.substring(0, 77) + "...\"" : s;
    }

    /**
     * {@code s} with line-breaking and other control characters (C0, C1, U+2028, U+2029) written as
     * JSON-style backslash-u escapes, so that a 400 message quoting a hostile token stays one line.
     */
    static String oneLine(String s) {
        return io.netattach.cni.Text.oneLine(s);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
