package io.netattach.injection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Finding;
import io.netattach.cni.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.netattach.injection.InjectionFixtures.JSON;
import static io.netattach.injection.InjectionFixtures.json;
import static io.netattach.injection.InjectionFixtures.nadManifest;
import static io.netattach.injection.InjectionFixtures.pod;
import static io.netattach.injection.InjectionFixtures.seedNads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodValidatorTest {

    private static final String P = NetworksAnnotation.POINTER;

    private static List<NadInfo> nads() {
        List<NadInfo> nads = new ArrayList<>(seedNads());
        nads.add(InjectionFixtures.nad("other", "shared-net", null, null, null));
        nads.add(NadInfo.fromManifest(nadManifest("chain-example", "per-pod-net", null, null, null,
                "{\"cniVersion\":\"1.0.0\",\"name\":\"per-pod-net\",\"plugins\":[{\"type\":\"macvlan\",\"master\":\"br-ex\",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"}}]}"), "x"));
        return nads;
    }

    private static ObjectNode podWith(String networks, String ownerKind) {
        ObjectNode pod = pod("chain-example", "{\"app\":\"x\"}",
                networks == null ? null : "{\"" + NetworksAnnotation.KEY + "\":" + JSON.valueToTree(networks) + "}");
        if (ownerKind != null) {
            ((ObjectNode) pod.get("metadata")).set("ownerReferences",
                    json("[{\"apiVersion\":\"apps/v1\",\"kind\":\"" + ownerKind + "\",\"name\":\"owner-1\",\"uid\":\"u\",\"controller\":true}]"));
        }
        return pod;
    }

    private static List<Finding> validate(PodValidator.MissingNad policy, String networks, String owner) {
        return new PodValidator(NadLookup.of(nads()), policy).validate(podWith(networks, owner), "chain-example");
    }

    @Test
    void seedPodIsClean() {
        assertEquals(List.of(), validate(PodValidator.MissingNad.DENY,
                "[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]", null));
        assertEquals(List.of(), validate(PodValidator.MissingNad.DENY, null, "ReplicaSet"));
    }

    @ParameterizedTest(name = "[{index}] {0} (owner {1}) -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            '[{"name":'                                        | NULL        | ERROR   | ''                 | is not valid JSON
            a/b/c                                              | NULL        | ERROR   | /0                 | more than one '/'
            missing-net@eth1                                   | NULL        | ERROR   | /0/name            | NetworkAttachmentDefinition chain-example/missing-net does not exist (element 0): Multus would fail the pod
            other/shared-net@eth1                              | NULL        | WARNING | /0/namespace       | namespaceIsolation
            management-net@eth1                                | ReplicaSet  | WARNING | /0                 | static IPAM of chain-example/management-net gives every replica of ReplicaSet owner-1 the same address (192.168.100.10/24)
            management-net@eth1                                | StatefulSet | WARNING | /0                 | StatefulSet owner-1
            management-net@eth1                                | DaemonSet   | WARNING | /0                 | DaemonSet owner-1
            management-net@eth1                                | Job         | WARNING | /0                 | Job owner-1
            '[{"name":"management-net","ips":["192.168.100.20/24"]}]' | ReplicaSet | WARNING | /0/ips     | lacks capabilities {"ips": true}
            management-net@eth0                                | NULL        | ERROR   | /0/interface       | cluster network interface
            Management-Net                                     | NULL        | ERROR   | /0/name            | is not a DNS-1123 label
            """)
    void findings(String networks, String owner, Severity severity, String path, String messagePart) {
        List<Finding> findings = validate(PodValidator.MissingNad.DENY, networks, owner);
        assertEquals(1, findings.size(), findings.toString());
        assertEquals(severity, findings.getFirst().severity());
        assertEquals(P + path, findings.getFirst().path());
        assertTrue(findings.getFirst().message().contains(messagePart), findings.getFirst().message());
    }

    @ParameterizedTest(name = "[{index}] no findings: {0} (owner {1})")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            management-net@eth1                                                   | NULL
            management-net@eth1                                                   | Node
            '[{"name":"per-pod-net","ips":["10.1.0.5/24"]}]'                      | ReplicaSet
            ''                                                                    | ReplicaSet
            """)
    void clean(String networks, String owner) {
        assertEquals(List.of(), validate(PodValidator.MissingNad.DENY, networks, owner));
    }

    @Test
    void perPodIpsNeededForStaticWithoutAddresses() {
        List<Finding> findings = validate(PodValidator.MissingNad.DENY, "per-pod-net", "StatefulSet");
        assertEquals(1, findings.size());
        assertTrue(findings.getFirst().message().contains("set per-pod \"ips\""));
    }

    @Test
    void missingNadCanBeAWarning() {
        List<Finding> findings = validate(PodValidator.MissingNad.WARN, "missing-net", null);
        assertEquals(Severity.WARNING, findings.getFirst().severity());
    }

    @Test
    void namespacesTheCatalogDoesNotCoverAreNotChecked() {
        NadLookup base = NadLookup.of(nads());
        NadLookup partial = new NadLookup() {
            @Override
            public NamespaceNads namespace(String namespace) {
                return base.namespace(namespace);
            }

            @Override
            public boolean covers(String namespace) {
                return Set.of("chain-example").contains(namespace);
            }
        };
        List<Finding> findings = new PodValidator(partial, PodValidator.MissingNad.DENY)
                .validate(podWith("elsewhere/unknown-net@eth3,missing-net@eth4", null), "chain-example");
        assertEquals(List.of(P + "/0/namespace", P + "/1/name"), findings.stream().map(Finding::path).toList());
    }

    @Test
    void nonStringAnnotationIsDenied() {
        ObjectNode pod = pod("chain-example", null, "{\"" + NetworksAnnotation.KEY + "\":[1]}");
        List<Finding> findings = new PodValidator(NadLookup.of(nads()), PodValidator.MissingNad.DENY).validate(pod, "chain-example");
        assertEquals("k8s.v1.cni.cncf.io/networks must be a string, got array", findings.getFirst().message());
    }
}
