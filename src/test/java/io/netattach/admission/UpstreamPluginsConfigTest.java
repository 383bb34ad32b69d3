package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code netattach.validation.upstream-plugins=true} reaches the validator through Quarkus config:
 * the seed NAD's macvlan {@code vlan} (ignored by the upstream Go plugin) becomes a warning, and
 * every warning fits Kubernetes' 120 characters.
 */
@QuarkusTest
@TestProfile(UpstreamPluginsConfigTest.UpstreamPlugins.class)
class UpstreamPluginsConfigTest {

    public static class UpstreamPlugins implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netattach.validation.upstream-plugins", "true");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void seedNadWithVlanIsAllowedWithAWarningAboutTheUpstreamMacvlan() throws Exception {
        String body = Https.given(https).contentType("application/json").body(Https.resource(Reviews.MANAGEMENT_CREATE))
                .post(NadValidationHandler.PATH).then().statusCode(200).extract().asString();
        JsonNode response = Reviews.JSON.readTree(body).path("response");
        assertTrue(response.path("allowed").asBoolean(), body);
        boolean vlan = false;
        for (JsonNode w : response.path("warnings")) {
            assertTrue(w.asText().length() <= Warnings.MAX_LENGTH, w::asText);
            vlan |= w.asText().startsWith("vlan 100 is ignored by the upstream macvlan plugin") && w.asText().endsWith("(at /spec/config/plugins/0/vlan)");
        }
        assertTrue(vlan, "no vlan warning in " + body);
    }
}
