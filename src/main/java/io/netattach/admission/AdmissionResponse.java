package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a handler decides: the {@code response} of an AdmissionReview without uid (the edge echoes
 * it). Warnings are cleaned to the API server's limits on construction ({@link Warnings}).
 *
 * @param allowed  admit or deny
 * @param status   the {@code response.status} (a metav1.Status); present on denial, {@code null} on allow
 * @param warnings {@code response.warnings}, allowed and denied alike
 * @param patch    a JSON Patch (RFC 6902) array computed against {@link AdmissionRequest#object()}, or
 *                 {@code null}; sent base64-encoded with {@code patchType: JSONPatch}
 * @param findings how many error and warning findings the verdict was made of (all of them, also those
 *                 not spelled out): counted in the metrics, not sent
 */
public record AdmissionResponse(boolean allowed, Status status, List<String> warnings, JsonNode patch, Tally findings) {

    /** Error and warning findings behind a response. */
    public record Tally(int errors, int warnings) {
        public static final Tally NONE = new Tally(0, 0);
    }

    /** A response that was not made from findings ({@link Tally#NONE}). */
    public AdmissionResponse(boolean allowed, Status status, List<String> warnings, JsonNode patch) {
        this(allowed, status, warnings, patch, Tally.NONE);
    }

    /**
     * HTTP-like code of a policy denial: 403 Forbidden, as controller-runtime's
     * {@code admission.Denied} and the java-operator-sdk webhooks answer; kubectl then prints
     * {@code Error from server (Forbidden): admission webhook "..." denied the request: ...}.
     */
    public static final int DENIED_CODE = 403;
    public static final String DENIED_REASON = "Forbidden";

    /** A metav1.Status: {@code code}, {@code reason}, {@code message}, {@code details.causes}. */
    public record Status(int code, String reason, String message, List<Cause> causes) {
        public Status {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            causes = List.copyOf(causes);
        }
    }

    /** One {@code details.causes[]} entry: {@code field} is a JSON Pointer, as in {@link Finding#path()}. */
    public record Cause(String reason, String message, String field) {
    }

    /**
     * Most warnings sent (and at most {@link Warnings#MAX_TOTAL} characters of them, the API server's
     * budget per request): the rest are summarised in one last warning.
     */
    public static final int MAX_WARNINGS = 30;
    /** Most errors spelled out in a denial's message and causes; the rest are counted. */
    public static final int MAX_LISTED_ERRORS = 20;

    public AdmissionResponse {
        List<String> cleaned = Warnings.limit(warnings, MAX_WARNINGS);
        warnings = List.copyOf(cleaned);
        if (patch != null && !patch.isArray()) {
            throw new IllegalArgumentException("a JSON Patch is an array of operations, got " + patch.getNodeType());
        }
        if (!allowed && status == null) {
            throw new IllegalArgumentException("a denial needs a status");
        }
        findings = findings == null ? Tally.NONE : findings;
    }

    public static AdmissionResponse allow() {
        return new AdmissionResponse(true, null, List.of(), null);
    }

    public static AdmissionResponse allow(List<String> warnings) {
        return new AdmissionResponse(true, null, warnings, null);
    }

    /**
     * Admits with every finding as a warning, errors included (a mutation or a preview never denies);
     * the tally keeps their severities.
     */
    public static AdmissionResponse allowWithFindings(List<Finding> findings) {
        int errors = 0;
        List<String> warnings = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            errors += f.isError() ? 1 : 0;
            warnings.add(Warnings.of(f));
        }
        return new AdmissionResponse(true, null, warnings, null, new Tally(errors, findings.size() - errors));
    }

    /** A policy denial (403 Forbidden) with {@code message}. */
    public static AdmissionResponse deny(String message) {
        return new AdmissionResponse(false, new Status(DENIED_CODE, DENIED_REASON, message, List.of()), List.of(), null);
    }

    /**
     * The verdict over findings about {@code subject} (e.g. {@code NetworkAttachmentDefinition
     * ns/name}): denied when there is at least one error, with every error as {@code path: message}
     * in the status message (and as a cause); warnings lead with the reason ({@link Warnings#of}) in
     * either case.
     */
    public static AdmissionResponse fromFindings(String subject, List<Finding> findings) {
        List<String> warnings = new ArrayList<>();
        List<Finding> errors = new ArrayList<>();
        for (Finding f : findings) {
            if (f.isError()) {
                errors.add(f);
            } else {
                warnings.add(Warnings.of(f));
            }
        }
        Tally tally = new Tally(errors.size(), warnings.size());
        if (errors.isEmpty()) {
            return new AdmissionResponse(true, null, warnings, null, tally);
        }
        StringBuilder message = new StringBuilder(64 + errors.size() * 80);
        message.append(subject).append(" is invalid (")
                .append(errors.size()).append(errors.size() == 1 ? " error): " : " errors): ");
        List<Cause> causes = new ArrayList<>(errors.size());
        for (int i = 0; i < errors.size(); i++) {
            Finding e = errors.get(i);
            if (i > 0) {
                message.append("; ");
            }
            if (i == MAX_LISTED_ERRORS) {
                // a hostile object can carry thousands of errors: the answer stays small
                message.append("... and ").append(errors.size() - i).append(" more errors");
                break;
            }
            message.append(pathAndMessage(e));
            causes.add(new Cause("FieldValueInvalid", e.message(), e.path().isEmpty() ? "/" : e.path()));
        }
        return new AdmissionResponse(false, new Status(DENIED_CODE, DENIED_REASON, message.toString(), causes),
                warnings, null, tally);
    }

    public AdmissionResponse withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new AdmissionResponse(allowed, status, all, patch, findings);
    }

    public AdmissionResponse withPatch(JsonNode jsonPatch) {
        return new AdmissionResponse(allowed, status, warnings, jsonPatch, findings);
    }

    private static String pathAndMessage(Finding f) {
        return (f.path().isEmpty() ? "/" : f.path()) + ": " + f.message();
    }
}
