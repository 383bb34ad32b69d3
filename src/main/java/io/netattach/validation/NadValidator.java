package io.netattach.validation;
import io.netattach.cni.Findings;
import io.netattach.cni.Text;

import io.netattach.cni.Finding;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a NetworkAttachmentDefinition: a pure function from the NAD object (as the API server
 * sends it: apiVersion, kind, metadata, spec) to findings. Thread-safe; never throws for any input.
 *
 * <p>Paths are JSON Pointers into the NAD; inside the config string they continue through the parsed
 * config, e.g. {@code /spec/config/plugins/0/ipam/addresses/0/address}.
 */
public final class NadValidator {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String CONFIG = "/spec/config";

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

    /** All findings for {@code nad}, in the order the rules found them; never throws for any input. */
    public List<Finding> validate(JsonNode nad) {
        return validateParsed(nad).findings();
    }

    /**
     * A NAD's findings ({@link #validate}) and its {@code spec.config} as the rules read it.
     *
     * @param findings all findings, in the order the rules found them
     * @param config   the parsed {@code spec.config}; null when it is absent, not a string, too large or not JSON
     */
    public record Validated(List<Finding> findings, JsonValue config) {
    }

    /** {@link #validate} and the config it parsed, for a caller that reads the config too (the network plan). */
    public Validated validateParsed(JsonNode nad) {
        Findings out = new Findings();
        JsonValue[] config = new JsonValue[1];
        try {
            check(nad, out, config);
        } catch (RuntimeException | StackOverflowError e) {
            // A rule bug must not turn bad input into a crash: report it as a finding instead.
            out.error("", "internal validator failure (" + e.getClass().getSimpleName() + "): the NAD could not be fully checked");
        }
        return new Validated(List.copyOf(out.list()), config[0]);
    }

    /**
     * Findings for a bare CNI network config (a conflist or a single plugin config, as in
     * {@code /etc/cni/net.d}), with paths relative to the config itself ({@code /plugins/0/master}).
     * Unlike a NAD's config, it must carry its own {@code name}.
     */
    public List<Finding> validateCniConfig(String configText) {
        return validateCniConfigParsed(configText).findings();
    }

    /** {@link #validateCniConfig} and the config it parsed (null when unreadable). */
    public Validated validateCniConfigParsed(String configText) {
        Findings out = new Findings();
        JsonValue[] parsed = new JsonValue[1];
        try {
            parseConfig(configText, "", "config", out).ifPresent(config -> {
                parsed[0] = config;
                ConfigRules.check(config, "", Optional.empty(), options, out);
            });
        } catch (RuntimeException | StackOverflowError e) {
            out.error("", "internal validator failure (" + e.getClass().getSimpleName() + "): the config could not be fully checked");
        }
        return new Validated(List.copyOf(out.list()), parsed[0]);
    }

    private void check(JsonNode nad, Findings out, JsonValue[] parsed) {
        if (nad == null || !nad.isObject()) {
            out.error("", "a NetworkAttachmentDefinition must be a JSON object, got " + nodeType(nad));
            return;
        }
        Optional<String> name = metadata(nad.get("metadata"), out);
        JsonNode spec = nad.get("spec");
        if (spec == null || spec.isNull()) {
            out.warning(CONFIG, "spec.config is empty: Multus then reads the config from a file on the node named like the NAD");
            return;
        }
        if (!spec.isObject()) {
            out.error("/spec", "spec must be an object, got " + nodeType(spec));
            return;
        }
        JsonNode config = spec.get("config");
        if (config == null || config.isNull() || (config.isTextual() && config.textValue().isEmpty())) {
            out.warning(CONFIG, "spec.config is empty: Multus then reads the config from a file on the node named like the NAD");
            return;
        }
        if (!config.isTextual()) {
            out.error(CONFIG, "spec.config must be a string holding the CNI config JSON, got " + nodeType(config));
            return;
        }
        parseConfig(config.textValue(), CONFIG, "spec.config", out).ifPresent(value -> {
            parsed[0] = value;
            ConfigRules.check(value, CONFIG, name, options, out);
        });
    }

    private Optional<JsonValue> parseConfig(String text, String path, String what, Findings out) {
        long bytes = utf8Length(text);
        if (bytes > options.maxConfigBytes()) {
            out.error(path, what + " is " + bytes + " bytes, more than the limit of " + options.maxConfigBytes() + " bytes");
            return Optional.empty();
        }
        try {
            return Optional.of(Json.parse(text, Json.DEFAULT_MAX_DEPTH, Math.max(options.maxConfigBytes(), 1)));
        } catch (JsonException e) {
            out.error(path, what + " is not valid JSON: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> metadata(JsonNode metadata, Findings out) {
        if (metadata == null || metadata.isNull()) {
            out.error("/metadata/name", "metadata.name is missing");
            return Optional.empty();
        }
        if (!metadata.isObject()) {
            out.error("/metadata", "metadata must be an object, got " + nodeType(metadata));
            return Optional.empty();
        }
        JsonNode name = metadata.get("name");
        if (name == null || name.isNull() || (name.isTextual() && name.textValue().isEmpty())) {
            JsonNode generate = metadata.get("generateName");
            if (generate == null || !generate.isTextual() || generate.textValue().isEmpty()) {
                out.error("/metadata/name", "metadata.name is missing");
            }
            return Optional.empty();
        }
        if (!name.isTextual()) {
            out.error("/metadata/name", "metadata.name must be a string, got " + nodeType(name));
            return Optional.empty();
        }
        String n = name.textValue();
        if (n.length() > 253 || !DNS1123_SUBDOMAIN.matcher(n).matches()) {
            out.error("/metadata/name", "metadata.name " + Text.quote(n) + " is not a DNS-1123 subdomain: lower-case letters, digits, "
                    + "\"-\" and \".\", starting and ending with a letter or digit, at most 253 characters");
            return Optional.empty();
        } else if (n.length() > 63 || !DNS1123_LABEL.matcher(n).matches()) {
            out.warning("/metadata/name", "metadata.name " + Text.quote(n) + " is not a DNS-1123 label ("
                    + (n.length() > 63 ? "longer than 63 characters" : "it contains \".\"")
                    + "): pods can reference it only in the JSON form of k8s.v1.cni.cncf.io/networks, not the comma form");
        }
        return Optional.of(n);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static String nodeType(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            return Text.quote(node.textValue()) + " (a string)";
        }
        if (node.isNumber()) {
            return node.asText() + " (a number)";
        }
        if (node.isBoolean()) {
            return node.asText() + " (a boolean)";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.isArray() ? "an array" : "an object";
    }
}
