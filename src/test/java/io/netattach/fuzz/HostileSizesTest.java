package io.netattach.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.admission.AdmissionReviewCodec;
import io.netattach.admission.AdmissionReviewCodec.Decoded;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.injection.NetworksAnnotation;
import io.netattach.cni.Finding;
import io.netattach.validation.NadValidator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile sizes in-process: 10,000-deep nesting, 10,000-element plugin arrays and annotations,
 * 1 MB strings, configs over the limit, invalid UTF-8, 3 MiB bodies. Each completes and is refused
 * (or accepted) with an exact, one-line answer. No timing is asserted.
 */
class HostileSizesTest {

    static final String DEEP = "[".repeat(10_000) + "]".repeat(10_000);

    static ObjectNode nad(String config) {
        ObjectNode nad = Seeds.JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", "net").put("namespace", "default");
        nad.putObject("spec").put("config", config);
        return nad;
    }

    static String lines(List<Finding> findings) {
        Checks.wellFormed(findings);
        StringBuilder sb = new StringBuilder();
        findings.forEach(f -> sb.append(f).append('\n'));
        return sb.toString();
    }

    @Test
    void jsonNested10000DeepIsRefusedAtTheDepthLimit() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(DEEP));
        assertEquals("JSON nested deeper than 256 levels at line 1, column 257", e.getMessage());
        JsonException objects = assertThrows(JsonException.class, () -> Json.parse("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        assertEquals("JSON nested deeper than 256 levels at line 1, column 1281", objects.getMessage());
    }

    @Test
    void configNested10000DeepIsOneFinding() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"macvlan\",\"x\":" + DEEP + "}";
        assertEquals("ERROR /spec/config: spec.config is not valid JSON: JSON nested deeper than 256 levels at line 1, column 312\n",
                lines(new NadValidator().validate(nad(config))));
    }

    @Test
    void pluginArrayOf10000IsOneFinding() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":["
                + String.join(",", Collections.nCopies(10_000, "{\"type\":\"macvlan\",\"master\":\"eth0\"}")) + "]}";
        assertEquals("ERROR /spec/config: spec.config has more than 2000 JSON values: netattach does not check a config this large "
                + "(a network config has a few dozen)\n", lines(new NadValidator().validate(nad(config))));
    }

    @Test
    void oneMegabyteStringIsQuotedShort() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"macvlan\",\"master\":\"" + "x".repeat(1_000_000) + "\"}";
        assertEquals("ERROR /spec/config/master: master \"" + "x".repeat(64) + "\"... (1000000 characters) is not a valid interface name: "
                + "it is 1000000 bytes long, the limit is 15 bytes of UTF-8 (1-15 bytes without \"/\", \":\" or whitespace)\n",
                lines(new NadValidator().validate(nad(config))));
    }

    @Test
    void configOverOneMebibyteIsRefusedBySize() {
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"macvlan\",\"master\":\"" + "é".repeat(600_000) + "\"}";
        int bytes = config.getBytes(StandardCharsets.UTF_8).length;
        assertEquals("ERROR /spec/config: spec.config is " + bytes + " bytes, more than the limit of 1048576 bytes\n",
                lines(new NadValidator().validate(nad(config))));
    }

    @Test
    void annotationOf10000ElementsParsesAndValidates() {
        StringBuilder value = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            value.append(i == 0 ? "" : ",").append("{\"name\":\"net-").append(i).append("\"}");
        }
        NetworksAnnotation.Parsed parsed = assertInstanceOf(NetworksAnnotation.Parsed.class, NetworksAnnotation.parse(value.append("]").toString()));
        assertEquals(10_000, parsed.elements().size());
        assertEquals(List.of(), NetworksAnnotation.validate(parsed.elements()));
        // the comma form too, with one clash at the end
        String comma = String.join(",", Collections.nCopies(10_000, "net-a")) + ",net-a@net1";
        NetworksAnnotation.Parsed commaParsed = assertInstanceOf(NetworksAnnotation.Parsed.class, NetworksAnnotation.parse(comma));
        List<Finding> clash = NetworksAnnotation.validate(commaParsed.elements());
        assertEquals("ERROR /metadata/annotations/k8s.v1.cni.cncf.io~1networks/10000/interface: interface \"net1\" of element 10000 (net-a) is "
                + "the name Multus gives element 0 (net-a), which requests no interface; Multus fails the pod with \"interface name net1 already exists\"\n",
                lines(clash));
    }

    @Test
    void annotationOfOneMegabyteAndDeepNesting() {
        NetworksAnnotation.Parsed huge = assertInstanceOf(NetworksAnnotation.Parsed.class, NetworksAnnotation.parse("a".repeat(1_000_000)));
        assertEquals("ERROR /metadata/annotations/k8s.v1.cni.cncf.io~1networks/0/name: network name \"" + "a".repeat(97) + "...\" is not a "
                + "DNS-1123 label (lower case alphanumerics and '-', at most 63 characters, starting and ending alphanumeric)\n",
                lines(NetworksAnnotation.validate(huge.elements())));
        NetworksAnnotation.Malformed deep = assertInstanceOf(NetworksAnnotation.Malformed.class, NetworksAnnotation.parse(DEEP));
        assertEquals("ERROR /metadata/annotations/k8s.v1.cni.cncf.io~1networks: k8s.v1.cni.cncf.io/networks is not valid JSON: JSON nested "
                + "deeper than 256 levels at line 1, column 257 (value \"" + "[".repeat(97) + "...\")\n", lines(deep.errors()));
    }

    @Test
    void admissionBodiesInvalidUtf8DeepAndThreeMebibytes() {
        byte[] prefix = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Admission".getBytes(StandardCharsets.US_ASCII);
        byte[] invalidUtf8 = java.util.Arrays.copyOf(prefix, prefix.length + 3);
        invalidUtf8[prefix.length] = (byte) 0xFF; // never valid in UTF-8
        invalidUtf8[prefix.length + 1] = '"';
        invalidUtf8[prefix.length + 2] = '}';
        Decoded.Rejected utf8 = assertInstanceOf(Decoded.Rejected.class, AdmissionReviewCodec.decode(invalidUtf8));
        assertEquals("request body is not valid JSON at line 1, column 55: Invalid UTF-8 start byte 0xff", utf8.message());
        Decoded.Rejected deep = assertInstanceOf(Decoded.Rejected.class, AdmissionReviewCodec.decode(DEEP.getBytes(StandardCharsets.US_ASCII)));
        assertEquals("request body is not valid JSON: Document nesting depth (1001) exceeds the maximum allowed "
                + "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)", deep.message());
        // A 3 MiB review (the edge's cap) with a 3 MB string in the NAD decodes; the validator refuses the config by size.
        String config = "x".repeat(3 * 1024 * 1024 - 600);
        ObjectNode review = (ObjectNode) Seeds.JSON.valueToTree(java.util.Map.of("apiVersion", "admission.k8s.io/v1", "kind", "AdmissionReview",
                "request", java.util.Map.of("uid", "u-1", "operation", "CREATE", "object", nad(config))));
        byte[] body = review.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(body.length <= 3 * 1024 * 1024, body.length + " bytes");
        Decoded.Review decoded = assertInstanceOf(Decoded.Review.class, AdmissionReviewCodec.decode(body));
        assertEquals("ERROR /spec/config: spec.config is " + config.length() + " bytes, more than the limit of 1048576 bytes\n",
                lines(new NadValidator().validate(decoded.request().object())));
    }
}
