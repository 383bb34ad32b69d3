package io.netattach.injection;

import io.netattach.injection.NetworksAnnotation.Format;
import io.netattach.injection.NetworksAnnotation.Malformed;
import io.netattach.injection.NetworksAnnotation.Parsed;
import io.netattach.cni.Finding;
import io.netattach.cni.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworksAnnotationTest {

    private static final String P = NetworksAnnotation.POINTER;

    private static Parsed parsed(String value) {
        return assertInstanceOf(Parsed.class, NetworksAnnotation.parse(value), value);
    }

    @Test
    void pointerEscapesTheSlash() {
        assertEquals("/metadata/annotations/k8s.v1.cni.cncf.io~1networks", P);
    }

    @ParameterizedTest(name = "[{index}] comma form ''{0}'' renders as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            management-net                                   | [{"name":"management-net"}]
            management-net@eth1                              | [{"name":"management-net","interface":"eth1"}]
            other/management-net@eth1                        | [{"name":"management-net","namespace":"other","interface":"eth1"}]
            'a , b@net5 ,ns/c'                               | [{"name":"a"},{"name":"b","interface":"net5"},{"name":"c","namespace":"ns"}]
            management-net@eth1,sip-net@eth2                 | [{"name":"management-net","interface":"eth1"},{"name":"sip-net","interface":"eth2"}]
            /plain@                                          | [{"name":"plain"}]
            """)
    void commaFormRoundTrip(String value, String json) {
        Parsed p = parsed(value);
        assertEquals(Format.COMMA, p.format());
        assertEquals(json, NetworksAnnotation.render(p.elements()));
        Parsed again = parsed(json);
        assertEquals(Format.JSON, again.format());
        assertEquals(json, NetworksAnnotation.render(again.elements()));
        assertEquals(p.elements().stream().map(NetworkSelection::shortForm).toList(),
                again.elements().stream().map(NetworkSelection::shortForm).toList());
    }

    @ParameterizedTest(name = "[{index}] JSON form keeps every field: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            [{"name":"a"}]
            [{"name":"a","namespace":"ns","interface":"eth1","ips":["10.1.1.1/24","fd00::1"],"mac":"02:00:00:00:00:01"}]
            [{"interface":"net9","name":"b","default-route":["10.0.0.1"],"cni-args":{"x":{"y":[1,2.50,1e3]}}}]
            [{"name":"c","portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}],"bandwidth":{"ingressRate":1000}}]
            [{"name":"d","infiniband-guid":"c2:11:22:33:44:55:66:77","ipam-claim-reference":"claim-1","example.com/vendor":true,"x.y":null}]
            []
            """)
    void jsonFormRoundTrip(String value) {
        Parsed p = parsed(value);
        assertEquals(Format.JSON, p.format());
        assertEquals(value, NetworksAnnotation.render(p.elements()));
    }

    @Test
    void jsonWithWhitespaceRendersCompactWithSameContent() {
        Parsed p = parsed("""
                [
                  {"name": "management-net", "interface": "eth1"},
                  { "name" : "sip-net", "interface": "eth2" }
                ]""");
        assertEquals("[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]",
                NetworksAnnotation.render(p.elements()));
    }

    @Test
    void elementAccessors() {
        Parsed p = parsed("[{\"name\":\"a\",\"namespace\":\"\",\"interface\":\"\"},{\"name\":\"b\",\"interfaceRequest\":\"old1\"}]");
        assertNull(p.elements().get(0).namespace());
        assertNull(p.elements().get(0).interfaceName());
        assertEquals("old1", p.elements().get(1).interfaceName());
        assertEquals(1, p.warnings().size());
        assertTrue(p.warnings().getFirst().message().contains("deprecated"));
    }

    @Test
    void emptyValueMeansNoNetworks() {
        assertTrue(parsed("").elements().isEmpty());
        assertTrue(parsed("[]").elements().isEmpty());
    }

    @ParameterizedTest(name = "[{index}] malformed ''{0}'' at {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            [{"name":"a"}                         | ''               | is not valid JSON
            {"name":"a"}                          | ''               | must be a JSON list of network selection objects, got object
            ["a"]                                 | /0               | element 0 of k8s.v1.cni.cncf.io/networks must be an object, got string "a"
            [{"name":"a"},null]                   | /1               | must be an object, got null
            [{"interface":"eth1"}]                | /0/name          | has no "name"
            [{"name":""}]                         | /0/name          | has no "name"
            [{"name":5}]                          | /0/name          | "name" must be a string, got number 5
            [{"name":"a","interface":1}]          | /0/interface     | "interface" must be a string, got number 1
            [{"name":"a","ips":"10.0.0.1"}]       | /0/ips           | "ips" must be a list of strings, got string "10.0.0.1"
            [{"name":"a","ips":[1]}]              | /0/ips           | entry 0 is number 1
            [{"name":"a","cni-args":[]}]          | /0/cni-args      | "cni-args" must be an object, got array []
            [{"name":"a","portMappings":[1]}]     | /0/portMappings  | must be a list of objects
            'a,,b'                                | /1               | is empty
            'a,'                                  | /1               | is empty
            '  '                                  | /0               | is empty
            a/b/c                                 | /0               | more than one '/'
            a@b@c                                 | /0               | more than one '@'
            ns/                                   | /0/name          | has no network name
            """)
    void malformed(String value, String path, String messagePart) {
        Malformed m = assertInstanceOf(Malformed.class, NetworksAnnotation.parse(value));
        Finding f = m.errors().getFirst();
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(P + path, f.path());
        assertTrue(f.message().contains(messagePart), f.message());
        assertTrue(m.reason().contains(messagePart));
    }

    @Test
    void jsonSyntaxErrorQuotesTheValueAndPosition() {
        Malformed m = assertInstanceOf(Malformed.class, NetworksAnnotation.parse("[{\"name\": mgmt}]"));
        String message = m.errors().getFirst().message();
        assertTrue(message.contains("line 1"), message);
        assertTrue(message.contains("[{\\\"name\\\": mgmt}]"), message);
    }

    @Test
    void duplicateKeyIsAWarningAndTheLastValueWins() {
        Parsed p = parsed("[{\"name\":\"a\",\"interface\":\"eth1\",\"interface\":\"eth2\"}]");
        assertEquals("eth2", p.elements().getFirst().interfaceName());
        assertEquals(P + "/0/interface", p.warnings().getFirst().path());
    }

    private static List<Finding> validate(String value) {
        return NetworksAnnotation.validate(parsed(value).elements());
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            [{"name":"Mgmt"}]                                              | /0/name             | is not a DNS-1123 label
            [{"name":"mgmt","namespace":"Other_NS"}]                       | /0/namespace        | namespace "Other_NS" is not a DNS-1123 label
            mgmt_net                                                       | /0/name             | "mgmt_net" is not a DNS-1123 label
            [{"name":"a","interface":"averyveryverylong0"}]                | /0/interface        | is 18 bytes long, the limit is 15 bytes of UTF-8
            [{"name":"a","interface":"eth:1"}]                             | /0/interface        | contains ":"
            [{"name":"a","interface":"eth/1"}]                             | /0/interface        | contains "/"
            [{"name":"a","interface":"eth 1"}]                             | /0/interface        | whitespace
            [{"name":"a","interface":"eth0"}]                              | /0/interface        | cluster network interface
            [{"name":"a","interfaceRequest":"eth0"}]                       | /0/interfaceRequest | cluster network interface
            a@eth1,b@eth1                                                  | /1/interface        | already requested by element 0 (a)
            [{"name":"a","interface":"net2"},{"name":"b"}]                 | /1                  | Multus names it "net2"
            [{"name":"a"},{"name":"b","interface":"net1"}]                 | /1/interface        | the name Multus gives element 0 (a)
            [{"name":"a","ips":["10.0.0.300/24"]}]                         | /0/ips/0            | "10.0.0.300/24" of network a is neither an IP address nor a CIDR
            [{"name":"a","ips":["10.0.0.1","bad"]}]                        | /0/ips/1            | "bad"
            [{"name":"a","mac":"02:00:00:00:00"}]                          | /0/mac              | is not a MAC address
            [{"name":"a","mac":"02:00:00:00:00:0g"}]                       | /0/mac              | is not a MAC address
            [{"name":"a","mac":"02:00-00:00:00:01"}]                       | /0/mac              | is not a MAC address
            [{"name":"a","infiniband-guid":"xyz"}]                         | /0/infiniband-guid  | is not a MAC address
            [{"name":"a","default-route":["10.0.0.0/8"]}]                  | /0/default-route/0  | is not an IP address
            [{"name":"a","default-route":["10.0.0.1"]},{"name":"b","default-route":["10.1.0.1"]}] | /1/default-route/0 | more than one IPv4 default-route
            [{"name":"a","default-route":["fd00::1","fd01::1"]}]           | /0/default-route/1  | more than one IPv6 default-route
            """)
    void findings(String value, String path, String messagePart) {
        List<Finding> findings = validate(value);
        assertEquals(1, findings.size(), findings.toString());
        Finding f = findings.getFirst();
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(P + path, f.path());
        assertTrue(f.message().contains(messagePart), f.message());
    }

    @ParameterizedTest(name = "[{index}] valid: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            [{"name":"management-net","interface":"eth1"},{"name":"sip-net","interface":"eth2"}]
            [{"name":"a","namespace":"ns-1","interface":"net1"}]
            [{"name":"a","ips":["192.168.1.5/24","fd00::5/64","10.0.0.1"],"mac":"02:00:00:00:00:01"}]
            [{"name":"a","mac":"02-00-00-00-00-01"},{"name":"b","mac":"0200.0000.0001"}]
            [{"name":"a","default-route":["10.0.0.1","fd00::1"]}]
            a,b,c
            [{"name":"a"},{"name":"b"},{"name":"c","interface":"net9"}]
            """)
    void validValuesHaveNoFindings(String value) {
        assertEquals(List.of(), validate(value));
    }

    @Test
    void macFormsOfGo() {
        assertTrue(NetworksAnnotation.isMac("00:00:5e:00:53:01"));
        assertTrue(NetworksAnnotation.isMac("02:00:5e:10:00:00:00:01"));
        assertTrue(NetworksAnnotation.isMac("00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01"));
        assertTrue(NetworksAnnotation.isMac("0000.5e00.5301"));
        assertFalse(NetworksAnnotation.isMac("00:00:5e:00:53"));
        assertFalse(NetworksAnnotation.isMac("00:00:5e:00:53:01:02"));
        assertFalse(NetworksAnnotation.isMac("0000.5e00.530"));
    }
}
