package io.netattach.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.Finding;
import io.netattach.validation.NadValidator;
import io.netattach.validation.ValidationOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NadValidator}: generated and mutated NADs (from the seed examples and the validator corpus)
 * never make it throw or fall back to its "internal validator failure" finding; every finding has a
 * JSON Pointer path and a one-line message.
 */
class NadValidatorFuzzTest {

    private static final NadValidator VALIDATOR = new NadValidator();
    private static final NadValidator UPSTREAM =
            new NadValidator(new ValidationOptions(true, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES));

    static void check(JsonNode nad) {
        for (NadValidator v : List.of(VALIDATOR, UPSTREAM)) {
            List<Finding> findings = v.validate(nad);
            Checks.wellFormed(findings);
            for (Finding f : findings) {
                assertFalse(f.message().startsWith("internal validator failure"), "validator bug hidden as a finding: " + f);
                assertTrue(f.path().isEmpty() || f.path().startsWith("/metadata") || f.path().startsWith("/spec")
                        || f.path().startsWith("/apiVersion") || f.path().startsWith("/kind"), "path outside the NAD: " + f);
            }
        }
    }

    static ObjectNode withConfig(Random r, String config) {
        ObjectNode nad = Gen.pick(r, Seeds.NADS).deepCopy();
        if (!(nad.get("spec") instanceof ObjectNode)) {
            nad.putObject("spec");
        }
        ((ObjectNode) nad.get("spec")).put("config", config);
        return nad;
    }

    @Test
    void mutatedConfigTrees() {
        Fuzz.forAll("nad.mutated-config-tree", 1500, r -> {
            JsonValue config = Gen.mutate(r, Gen.pick(r, Seeds.CONFIG_TREES));
            return withConfig(r, Json.write(config));
        }, NadValidatorFuzzTest::check);
    }

    @Test
    void mutatedConfigText() {
        Fuzz.forAll("nad.mutated-config-text", 1000, r -> withConfig(r, Gen.mutateText(r, Gen.pick(r, Seeds.CONFIGS))),
                NadValidatorFuzzTest::check);
    }

    @Test
    void mutatedNadObjects() {
        Fuzz.forAll("nad.mutated-object", 1000, r -> {
            JsonValue nad = Json.parse(Gen.pick(r, Seeds.NADS).toString());
            return Seeds.jackson(Gen.mutate(r, nad));
        }, NadValidatorFuzzTest::check);
    }

    @Test
    void randomNadShapedObjects() {
        Fuzz.forAll("nad.random-object", 500, r -> {
            String tree = "{\"apiVersion\":\"k8s.cni.cncf.io/v1\",\"kind\":\"NetworkAttachmentDefinition\",\"metadata\":"
                    + Json.write(Gen.json(r, 3)) + ",\"spec\":" + Json.write(Gen.json(r, 3)) + "}";
            return Seeds.jackson(Json.parse(tree));
        }, NadValidatorFuzzTest::check);
    }

    @Test
    void randomConfigs() {
        Fuzz.forAll("nad.random-config", 500, r -> withConfig(r, Json.write(Gen.json(r, 4))), NadValidatorFuzzTest::check);
    }

    @Test
    void bareCniConfigText() {
        Fuzz.forAll("nad.bare-cni-config", 800, r -> r.nextBoolean() ? Gen.mutateText(r, Gen.pick(r, Seeds.CONFIGS))
                : Json.write(Gen.mutate(r, Gen.pick(r, Seeds.CONFIG_TREES))), text -> {
            List<Finding> findings = VALIDATOR.validateCniConfig(text);
            Checks.wellFormed(findings);
            for (Finding f : findings) {
                assertFalse(f.message().startsWith("internal validator failure"), "validator bug hidden as a finding: " + f);
            }
        });
    }
}
