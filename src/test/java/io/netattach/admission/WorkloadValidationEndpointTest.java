package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /validate/workloads} and {@code /validate/workloads-without-injection} over real HTTPS,
 * standalone (catalog: {@code deploy/examples}: the seed NADs in chain-example, the injection example's
 * NADs in netattach-demo, which inject into pods labelled app=sip-proxy).
 */
@QuarkusTest
class WorkloadValidationEndpointTest {

    private static final String KEY = "k8s.v1.cni.cncf.io/networks";
    private static final String TEMPLATE_NETWORKS = "/spec/template/metadata/annotations/k8s.v1.cni.cncf.io~1networks";

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    /** The injection example's Deployment (deploy/examples/injection/03-deployment.yaml). */
    private static ObjectNode sipProxy() {
        return Reviews.manifest("deploy/examples/injection/03-deployment.yaml");
    }

    private static ObjectNode review(String operation, String group, String kind, String resource, ObjectNode workload) {
        ObjectNode review = Reviews.JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", UUID.randomUUID().toString());
        request.putObject("kind").put("group", group).put("version", "v1").put("kind", kind);
        request.putObject("resource").put("group", group).put("version", "v1").put("resource", resource);
        request.put("namespace", workload.path("metadata").path("namespace").asText());
        request.put("name", workload.path("metadata").path("name").asText());
        request.put("operation", operation);
        request.putObject("userInfo").put("username", "kubernetes-admin");
        request.set("object", operation.equals("DELETE") ? NullNode.getInstance() : workload);
        request.set("oldObject", operation.equals("CREATE") ? NullNode.getInstance() : workload);
        request.put("dryRun", false);
        return review;
    }

    private JsonNode post(String path, ObjectNode review) {
        return PodReviews.post(https, path, review);
    }

    private static ObjectNode templateAnnotations(ObjectNode workload, String templatePointer) {
        ObjectNode metadata = (ObjectNode) workload.at(templatePointer + "/metadata");
        return metadata.has("annotations") ? (ObjectNode) metadata.get("annotations") : metadata.putObject("annotations");
    }

    @Test
    void deploymentInAnInjectionNamespaceShowsThePreviewAndTheReplicaWarning() {
        JsonNode answer = post(WorkloadValidationHandler.PATH, review("CREATE", "apps", "Deployment", "deployments", sipProxy()));
        JsonNode response = answer.path("response");
        assertTrue(response.path("allowed").asBoolean(), answer::toString);
        assertFalse(response.has("patch"), "a validating webhook never patches");
        List<String> warnings = PodReviews.warnings(answer);
        assertEquals(List.of(
                "pods of Deployment sip-proxy get management-net@eth1, sip-net@eth2 injected (namespace netattach-demo is opted in"
                        + " to injection) (at /spec/template/metadata/annotations)",
                "static IPAM of netattach-demo/management-net gives every replica of ReplicaSet of Deployment sip-proxy the same"
                        + " address (192.168.100.20/24); set per-pod \"ips\" or use a pool IPAM (at " + TEMPLATE_NETWORKS + "/0)",
                "static IPAM of netattach-demo/sip-net gives every replica of ReplicaSet of Deployment sip-proxy the same"
                        + " address (192.168.200.20/24); set per-pod \"ips\" or use a pool IPAM (at " + TEMPLATE_NETWORKS + "/1)"),
                warnings);
        for (String w : warnings) {
            assertTrue(w.length() <= Warnings.MAX_LENGTH && w.chars().allMatch(c -> c >= 0x20 && c < 0x7f), w);
        }
    }

    @Test
    void withoutInjectionTheSameDeploymentGetsNoPreview() {
        JsonNode answer = post(WorkloadValidationHandler.WITHOUT_INJECTION_PATH,
                review("CREATE", "apps", "Deployment", "deployments", sipProxy()));
        assertTrue(answer.path("response").path("allowed").asBoolean(), answer::toString);
        assertEquals(List.of(), PodReviews.warnings(answer), "no annotation and no injection: nothing to say");
    }

    @Test
    void optedOutTemplateGetsNoPreview() {
        ObjectNode deployment = sipProxy();
        ((ObjectNode) deployment.at("/spec/template/metadata/labels")).put("netattach.io/inject", "disabled");
        JsonNode answer = post(WorkloadValidationHandler.PATH, review("UPDATE", "apps", "Deployment", "deployments", deployment));
        assertEquals(List.of(), PodReviews.warnings(answer));
    }

    @Test
    void handWrittenNetworkIsNotInjectedAgainAndTheClashIsShown() {
        ObjectNode deployment = sipProxy();
        templateAnnotations(deployment, "/spec/template").put(KEY, "sip-net@eth1");
        JsonNode answer = post(WorkloadValidationHandler.PATH, review("CREATE", "apps", "Deployment", "deployments", deployment));
        List<String> warnings = PodReviews.warnings(answer);
        assertTrue(warnings.getFirst().startsWith("pods of Deployment sip-proxy: network management-net not injected: interface \"eth1\""
                + " is already used by element 0 (sip-net@eth1) (at " + TEMPLATE_NETWORKS + "/0)"), warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.contains(" injected (namespace")), "nothing left to inject: " + warnings);
    }

    @Test
    void cronJobNamingAMissingNadIsAllowedWithTheRefusalItsPodsWouldGet() {
        ObjectNode cronJob = Reviews.JSON.createObjectNode();
        cronJob.put("apiVersion", "batch/v1").put("kind", "CronJob");
        cronJob.putObject("metadata").put("name", "nightly").put("namespace", "chain-example");
        ObjectNode podTemplate = cronJob.putObject("spec").put("schedule", "0 3 * * *")
                .putObject("jobTemplate").putObject("spec").putObject("template");
        podTemplate.putObject("metadata").putObject("annotations").put(KEY, "management-net@eth1,no-such-net@eth2");
        podTemplate.putObject("spec").put("restartPolicy", "Never").putArray("containers").addObject().put("name", "c").put("image", "busybox");
        JsonNode answer = post(WorkloadValidationHandler.WITHOUT_INJECTION_PATH, review("CREATE", "batch", "CronJob", "cronjobs", cronJob));
        assertTrue(answer.path("response").path("allowed").asBoolean(), "a workload is never refused for its pods: " + answer);
        List<String> warnings = PodReviews.warnings(answer);
        assertTrue(warnings.contains("pods of CronJob nightly would be refused: NetworkAttachmentDefinition chain-example/no-such-net does not"
                + " exist (element 1): Multus would fail the pod (at /spec/jobTemplate/spec/template/metadata/annotations/"
                + "k8s.v1.cni.cncf.io~1networks/1/name)"), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("static IPAM of chain-example/management-net gives every replica of Job of CronJob nightly")),
                warnings.toString());
    }

    @Test
    void malformedTemplateAnnotationIsAWarningNotADenial() {
        ObjectNode statefulSet = sipProxy();
        statefulSet.put("kind", "StatefulSet");
        templateAnnotations(statefulSet, "/spec/template").put(KEY, "[{\"name\": \"sip-net\", \"interface\": eth1}]");
        JsonNode answer = post(WorkloadValidationHandler.WITHOUT_INJECTION_PATH, review("CREATE", "apps", "StatefulSet", "statefulsets", statefulSet));
        assertTrue(answer.path("response").path("allowed").asBoolean(), answer::toString);
        String w = PodReviews.warnings(answer).getFirst();
        assertTrue(w.startsWith("pods of StatefulSet sip-proxy would be refused: k8s.v1.cni.cncf.io/networks is not valid JSON"), w);
        assertTrue(w.endsWith("k8s.v1.cni.cncf.io~1networks)"), w);
    }

    @Test
    void otherKindsAndOperationsPassUnreviewed() {
        ObjectNode deployment = sipProxy();
        JsonNode delete = post(WorkloadValidationHandler.PATH, review("DELETE", "apps", "Deployment", "deployments", deployment));
        assertTrue(delete.path("response").path("allowed").asBoolean());
        assertEquals(List.of(), PodReviews.warnings(delete));
        JsonNode other = post(WorkloadValidationHandler.PATH, review("CREATE", "apps", "ControllerRevision", "controllerrevisions", deployment));
        assertTrue(other.path("response").path("allowed").asBoolean());
        assertTrue(PodReviews.warnings(other).getFirst().startsWith("netattach /validate/workloads reviews the pod templates of Deployment,"),
                other::toString);
        ObjectNode noTemplate = sipProxy();
        ((ObjectNode) noTemplate.get("spec")).remove("template");
        JsonNode none = post(WorkloadValidationHandler.PATH, review("CREATE", "apps", "Deployment", "deployments", noTemplate));
        assertTrue(none.path("response").path("allowed").asBoolean());
        assertEquals(List.of(), PodReviews.warnings(none));
    }
}
