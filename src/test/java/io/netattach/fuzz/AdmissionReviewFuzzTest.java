package io.netattach.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.admission.AdmissionResponse;
import io.netattach.admission.AdmissionReviewCodec;
import io.netattach.admission.AdmissionReviewCodec.Decoded;
import io.netattach.admission.NadValidationHandler;
import io.netattach.admission.ValidationConfig;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AdmissionReview decoding path of the webhook edge, called directly: mutated bodies are either
 * rejected (the edge answers 400 with the message) or decoded and reviewed by the NAD handler into an
 * AdmissionReview response (HTTP 200, allowed or denied with 403) — never an exception, never a 5xx.
 */
class AdmissionReviewFuzzTest {

    static final NadValidationHandler HANDLER = new NadValidationHandler(new ValidationConfig() {
        @Override
        public boolean upstreamPlugins() {
            return false;
        }

        @Override
        public int maxConfigBytes() {
            return io.netattach.validation.ValidationOptions.DEFAULT_MAX_CONFIG_BYTES;
        }
    });

    static final List<String> REVIEWS = new ArrayList<>();

    static {
        try {
            String template = Files.readString(Path.of("src/test/resources/admission/reviews/nad-create-management-net.json"));
            REVIEWS.add(template);
            JsonNode review = Seeds.JSON.readTree(template);
            for (int i = 0; i < Seeds.NADS.size(); i += 7) {
                com.fasterxml.jackson.databind.node.ObjectNode r = review.deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.get("request")).set("object", Seeds.NADS.get(i));
                REVIEWS.add(r.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the edge does with a body after the HTTP checks: decode, then handle and encode. Returns the HTTP status. */
    static int review(byte[] body) {
        Decoded decoded = AdmissionReviewCodec.decode(body);
        if (decoded instanceof Decoded.Rejected rejected) {
            Checks.oneLineMessage(rejected.message(), "400 message");
            return 400;
        }
        Decoded.Review review = (Decoded.Review) decoded;
        AdmissionResponse response = HANDLER.handle(review.request());
        byte[] json = AdmissionReviewCodec.encode(review, response);
        JsonNode out;
        try {
            out = Seeds.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("response is not JSON", e);
        }
        assertEquals(review.request().uid(), out.path("response").path("uid").asText());
        if (!response.allowed()) {
            assertEquals(403, out.path("response").path("status").path("code").asInt(), out.toString());
            assertFalse(out.toString().contains("internal error"), out.toString());
        }
        for (String w : response.warnings()) {
            assertTrue(Checks.isOneLine(w), w);
        }
        return 200;
    }

    @Test
    void mutatedReviewText() {
        Fuzz.forAll("admission.mutated-text", 800, r -> Gen.mutateText(r, Gen.pick(r, REVIEWS)).getBytes(StandardCharsets.UTF_8),
                body -> assertTrue(review(body) < 500));
    }

    @Test
    void mutatedReviewTrees() {
        Fuzz.forAll("admission.mutated-tree", 800, r -> {
            JsonValue tree = Json.parse(Gen.pick(r, REVIEWS));
            return Json.write(Gen.mutate(r, tree)).getBytes(StandardCharsets.UTF_8);
        }, body -> assertTrue(review(body) < 500));
    }

    @Test
    void mutatedBytesIncludingInvalidUtf8() {
        Fuzz.forAll("admission.mutated-bytes", 800, (Random r) -> {
            byte[] b = Gen.pick(r, REVIEWS).getBytes(StandardCharsets.UTF_8);
            int edits = 1 + r.nextInt(6);
            for (int i = 0; i < edits; i++) {
                int at = r.nextInt(b.length);
                b[at] = (byte) (r.nextBoolean() ? 0x80 + r.nextInt(0x80) : r.nextInt(256)); // continuation/lead bytes out of place
            }
            if (r.nextInt(4) == 0) {
                b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            return b;
        }, body -> assertTrue(review(body) < 500));
    }

    @Test
    void arbitraryBytes() {
        Fuzz.forAll("admission.arbitrary-bytes", 500, r -> Gen.bytes(r, 200), body -> assertEquals(400, review(body)));
    }
}
