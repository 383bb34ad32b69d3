package io.netattach.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates a NetworkAttachmentDefinition: a pure function from the NAD object (as the API server
 * sends it: apiVersion, kind, metadata, spec) to findings. Thread-safe.
 *
 * <p>INTERIM: only the JSON-object check; the full rule set replaces this body.
 */
public final class NadValidator {

    private final ValidationOptions options;

    public NadValidator(ValidationOptions options) {
        this.options = options;
    }

    public NadValidator() {
        this(ValidationOptions.defaults());
    }

    public ValidationOptions options() {
        return options;
    }

    /** All findings for {@code nad}; never throws for any input. */
    public List<Finding> validate(JsonNode nad) {
        List<Finding> findings = new ArrayList<>();
        JsonNode config = nad == null ? null : nad.path("spec").get("config");
        if (config == null || config.isNull()) {
            findings.add(Finding.warning("/spec/config", "spec.config is empty: Multus will read the config from a file on the node"));
            return findings;
        }
        if (!config.isTextual()) {
            findings.add(Finding.error("/spec/config", "spec.config must be a string holding JSON, got " + config.getNodeType().name().toLowerCase()));
            return findings;
        }
        try {
            JsonValue value = Json.parse(config.asText());
            if (!(value instanceof JsonValue.JsonObject)) {
                findings.add(Finding.error("/spec/config", "spec.config must be a JSON object, got " + value.typeName()));
            }
        } catch (JsonException e) {
            findings.add(Finding.error("/spec/config", "spec.config is not valid JSON: " + e.getMessage()));
        }
        return findings;
    }
}
