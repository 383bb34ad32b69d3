package io.netattach.fuzz;

import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue.JsonString;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The smallest inputs of the bugs the fuzz properties found, kept as plain regression tests. */
class FuzzRegressionTest {

    @Test
    void invalidEscapeOfAControlCharacterIsNamedNotEchoed() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"\\\n\""));
        assertEquals("invalid escape '\\' followed by U+000A in string at line 1, column 3", e.getMessage());
        assertTrue(Checks.isOneLine(e.getMessage()));
        JsonException printable = assertThrows(JsonException.class, () -> Json.parse("\"\\x\""));
        assertEquals("invalid escape '\\x' in string at line 1, column 3", printable.getMessage());
    }

    @Test
    void quotingEscapesC1ControlsSoQuotedValuesStayOnOneLine() {
        assertEquals("\"a\\u0085b\\u009b[2Jc\\u007f\"", Json.quote("a\u0085b\u009b[2Jc\u007f"));
        assertEquals(new JsonString("a\u0085b\u009bc"), Json.parse(Json.quote("a\u0085b\u009bc")));
        assertEquals("\"é€\"", Json.quote("é€"));
    }

    @Test
    void malformedNetlinkRepliesAreEprotoNotACrash() {
        // nlmsg_len larger than the datagram
        byte[] badLength = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder())
                .putInt(56).putShort((short) 2).putShort((short) 0).putInt(1001).putInt(0).array();
        // an NLMSG_ERROR without its errno
        byte[] shortError = badLength.clone();
        java.nio.ByteBuffer.wrap(shortError).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 16);
        // an RTM_NEWLINK shorter than struct ifinfomsg, in a dump
        byte[] shortLink = java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder())
                .putInt(20).putShort((short) io.netattach.netlink.Nl.RTM_NEWLINK).putShort((short) 2).putInt(1001).putInt(0).putInt(7).array();
        byte[] done = java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder())
                .putInt(20).putShort((short) io.netattach.netlink.Nl.NLMSG_DONE).putShort((short) 2).putInt(1001).putInt(0).putInt(0).array();
        for (var replies : java.util.List.of(java.util.List.of(badLength), java.util.List.of(shortError),
                java.util.List.of(shortLink, done))) {
            var transport = new NetlinkDecoderFuzzTest.CannedTransport(replies);
            var netlink = new io.netattach.netlink.Netlink(new io.netattach.netlink.NetlinkConnection(transport, 1000));
            var e = assertThrows(io.netattach.netlink.LinuxException.class, netlink::links);
            assertEquals(io.netattach.netlink.Errno.EPROTO, e.errno(), e.getMessage());
            assertTrue(e.getMessage().startsWith("RTM_GETLINK: protocol error (malformed netlink reply: ")
                    || e.getMessage().startsWith("RTM_NEWLINK: protocol error (malformed netlink reply: "), e.getMessage());
        }
    }

    @Test
    void annotationFindingsQuoteHostileNamesOnOneBoundedLine() {
        String longName = "x".repeat(5000);
        var parsed = (io.netattach.injection.NetworksAnnotation.Parsed) io.netattach.injection.NetworksAnnotation.parse(
                "[{\"name\":\"a\\nb\",\"ips\":[\"nope\"]},{\"name\":\"" + longName + "\",\"interface\":\"" + longName + "\"}]");
        var findings = io.netattach.injection.NetworksAnnotation.validate(parsed.elements());
        Checks.wellFormed(findings);
        assertTrue(findings.stream().anyMatch(f -> f.message().equals("ips entry \"nope\" of network \"a\\nb\" is neither an IP address nor a CIDR")),
                findings.toString());
        assertTrue(findings.stream().allMatch(f -> f.message().length() < 400), findings.toString());
    }

    @Test
    void admissionRejectionsQuoteHostileValuesOnOneLine() {
        var kind = (io.netattach.admission.AdmissionReviewCodec.Decoded.Rejected) io.netattach.admission.AdmissionReviewCodec.decode(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"a\u0085b\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\"}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("not an admission.k8s.io/v1 AdmissionReview: kind \"a\\u0085b\" is not an AdmissionReview", kind.message());
        var token = (io.netattach.admission.AdmissionReviewCodec.Decoded.Rejected) io.netattach.admission.AdmissionReviewCodec.decode(
                "{\"kind\": tru\u2028e}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(Checks.isOneLine(token.message()), token.message());
        assertTrue(token.message().startsWith("request body is not valid JSON at line 1, column "), token.message());
    }

    @Test
    void admissionAnswersListAtMostTwentyErrorsAndThirtyWarnings() {
        java.util.List<io.netattach.cni.Finding> findings = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            findings.add(io.netattach.cni.Finding.error("/x/" + i, "bad " + i));
        }
        var denied = io.netattach.admission.AdmissionResponse.fromFindings("Pod ns/p", findings);
        assertEquals(20, denied.status().causes().size());
        assertTrue(denied.status().message().startsWith("Pod ns/p is invalid (10000 errors): /x/0: bad 0; /x/1: bad 1; "), denied.status().message());
        assertTrue(denied.status().message().endsWith("; /x/19: bad 19; ... and 9980 more errors"), denied.status().message());
        var warned = io.netattach.admission.AdmissionResponse.allow(java.util.Collections.nCopies(100, "careful"));
        assertEquals(30, warned.warnings().size());
        assertEquals("... and 71 more warnings", warned.warnings().get(29));
    }
}
