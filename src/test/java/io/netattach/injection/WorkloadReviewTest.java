package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.netattach.injection.InjectionFixtures.json;
import static io.netattach.injection.InjectionFixtures.seedNads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadReviewTest {

    private static final String NETWORKS = NetworksAnnotation.KEY;
    private final WorkloadReview review = new WorkloadReview(NadLookup.of(seedNads()), PodValidator.MissingNad.DENY);

    /** A workload of {@code kind} in chain-example whose pod template (at the kind's place) has {@code labels} and {@code annotations}. */
    private static ObjectNode workload(WorkloadReview.Kind kind, String labels, String annotations) {
        ObjectNode workload = (ObjectNode) json("{\"apiVersion\":\"x/v1\",\"kind\":\"" + kind.kind()
                + "\",\"metadata\":{\"name\":\"web\",\"namespace\":\"chain-example\"},\"spec\":{}}");
        ObjectNode template = (ObjectNode) workload.get("spec");
        for (String step : kind.pointer().substring("/spec/".length()).split("/")) {
            template = template.putObject(step);
        }
        ObjectNode metadata = template.putObject("metadata");
        if (labels != null) {
            metadata.set("labels", json(labels));
        }
        if (annotations != null) {
            metadata.set("annotations", json(annotations));
        }
        template.set("spec", json("{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}"));
        return workload;
    }

    private static WorkloadReview.Kind kind(String group, String kind) {
        return WorkloadReview.kind(group, kind).orElseThrow();
    }

    @ParameterizedTest(name = "[{index}] {0}/{1}")
    @CsvSource(textBlock = """
            apps,  Deployment,  /spec/template,                 ReplicaSet of Deployment web
            apps,  ReplicaSet,  /spec/template,                 ReplicaSet web
            apps,  StatefulSet, /spec/template,                 StatefulSet web
            apps,  DaemonSet,   /spec/template,                 DaemonSet web
            batch, Job,         /spec/template,                 Job web
            batch, CronJob,     /spec/jobTemplate/spec/template, Job of CronJob web
            """)
    void everyKindIsReviewedAtItsTemplateWithTheReplicaRule(String group, String kindName, String pointer, String owner) {
        WorkloadReview.Kind kind = kind(group, kindName);
        assertEquals(pointer, kind.pointer());
        List<Finding> findings = review.review(workload(kind, "{\"app\":\"chain-test\"}", null), kind, "chain-example", true);
        assertEquals(List.of(pointer + "/metadata/annotations", pointer + "/metadata/annotations/k8s.v1.cni.cncf.io~1networks/0",
                pointer + "/metadata/annotations/k8s.v1.cni.cncf.io~1networks/1"), findings.stream().map(Finding::path).toList());
        assertEquals("pods of " + kindName + " web get management-net@eth1, sip-net@eth2 injected (namespace chain-example is opted in to injection)",
                findings.getFirst().message());
        assertTrue(findings.get(1).message().startsWith("static IPAM of chain-example/management-net gives every replica of " + owner + " the same address"),
                findings.get(1).message());
        assertTrue(findings.stream().noneMatch(Finding::isError), "a workload is never refused");
    }

    @Test
    void withoutThePreviewOnlyTheTemplatesOwnAnnotationCounts() {
        WorkloadReview.Kind kind = kind("apps", "Deployment");
        assertEquals(List.of(), review.review(workload(kind, "{\"app\":\"chain-test\"}", null), kind, "chain-example", false));
        List<Finding> findings = review.review(workload(kind, null, "{\"" + NETWORKS + "\":\"sip-net@eth2\"}"), kind, "chain-example", false);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.getFirst().message().contains("every replica of ReplicaSet of Deployment web"), findings.toString());
    }

    @Test
    void podRuleErrorsBecomeWarningsThatSayThePodsWouldBeRefused() {
        WorkloadReview.Kind kind = kind("batch", "Job");
        List<Finding> findings = review.review(workload(kind, null, "{\"" + NETWORKS + "\":\"sip-net@eth0\"}"), kind, "chain-example", false);
        Finding refused = findings.stream().filter(f -> f.message().contains("would be refused")).findFirst().orElseThrow(() -> new AssertionError(findings));
        assertEquals("/spec/template/metadata/annotations/k8s.v1.cni.cncf.io~1networks/0/interface", refused.path());
        assertTrue(refused.message().startsWith("pods of Job web would be refused: interface name \"eth0\""), refused.message());
        assertFalse(refused.isError());
    }

    @Test
    void handWrittenNadIsNotInjectedAgainInThePreview() {
        WorkloadReview.Kind kind = kind("apps", "Deployment");
        List<Finding> findings = review.review(workload(kind, "{\"app\":\"chain-test\"}", "{\"" + NETWORKS + "\":\"sip-net@eth1\"}"),
                kind, "chain-example", true);
        assertTrue(findings.stream().noneMatch(f -> f.message().contains(" injected (namespace")), findings.toString());
        assertTrue(findings.getFirst().message().startsWith("pods of Deployment web: network management-net not injected: interface \"eth1\""),
                findings.toString());
    }

    @Test
    void malformedWorkloadsYieldNothingAndNeverThrow() {
        WorkloadReview.Kind kind = kind("apps", "Deployment");
        for (String text : List.of("{}", "{\"spec\":{\"template\":[]}}", "{\"spec\":{\"template\":{\"metadata\":\"x\",\"spec\":7}}}",
                "{\"metadata\":{\"name\":5},\"spec\":{\"template\":{\"metadata\":{\"labels\":[],\"annotations\":{\"" + NETWORKS + "\":7}}}}}")) {
            JsonNode w = json(text);
            List<Finding> findings = review.review(w, kind, "chain-example", true);
            assertTrue(findings.stream().noneMatch(Finding::isError), text + ": " + findings);
        }
        assertEquals(List.of(), review.review(null, kind, "chain-example", true));
        assertTrue(WorkloadReview.kind("apps", "ControllerRevision").isEmpty());
        assertTrue(WorkloadReview.kind("", "Deployment").isEmpty());
    }
}
