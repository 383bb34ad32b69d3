package io.netattach.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.netattach.deploy.Manifests.Doc;
import io.netattach.injection.Injection;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.PodInjector;
import io.netattach.cni.Finding;
import io.netattach.validation.NadValidator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/examples: the seed and the injection example are valid, and the injection example really injects eth1/eth2. */
class DeployExamplesTest {

    private static final List<Doc> EXAMPLES = Manifests.readTree(Manifests.DEPLOY.resolve("examples"));
    private static final List<Doc> INJECTION = Manifests.readTree(Manifests.DEPLOY.resolve("examples/injection"));

    @Test
    void everyExampleNadValidatesWithoutErrors() {
        List<Doc> nads = Manifests.ofKind(EXAMPLES, "NetworkAttachmentDefinition");
        assertEquals(4, nads.size());
        NadValidator validator = new NadValidator();
        for (Doc nad : nads) {
            List<Finding> errors = validator.validate(nad.tree()).stream()
                    .filter(f -> f.severity() == io.netattach.cni.Severity.ERROR).toList();
            assertEquals(List.of(), errors, nad.toString());
        }
    }

    @Test
    void theInjectionExampleNamespaceOptsInAndItsPodsAreSelectedByTheMutatingWebhook() {
        Namespace ns = Manifests.typed(Manifests.one(INJECTION, "Namespace", "netattach-demo"), Namespace.class);
        Map<String, String> nsLabels = new HashMap<>(ns.getMetadata().getLabels());
        nsLabels.put("kubernetes.io/metadata.name", ns.getMetadata().getName()); // set by the API server
        Deployment deployment = Manifests.typed(Manifests.one(INJECTION, "Deployment", "sip-proxy"), Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        BundleChecks base = new BundleChecks("base", Manifests.readTree(Manifests.DEPLOY.resolve("base")));
        MutatingWebhook mutate = base.mutating().getWebhooks().getFirst();
        assertTrue(BundleChecks.matches(mutate.getNamespaceSelector(), nsLabels));
        assertTrue(BundleChecks.matches(mutate.getObjectSelector(), podLabels));
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey("k8s.v1.cni.cncf.io/networks"), "no network annotation of its own");
        assertEquals(1, deployment.getSpec().getReplicas(), "static IPAM: one address per network, so one pod");
    }

    @Test
    void theInjectorGivesTheExamplePodsEth1AndEth2InOrder() {
        List<NadInfo> nads = new ArrayList<>();
        for (Doc nad : Manifests.ofKind(EXAMPLES, "NetworkAttachmentDefinition")) {
            nads.add(NadInfo.fromManifest(nad.tree(), "default"));
        }
        Doc deployment = Manifests.one(INJECTION, "Deployment", "sip-proxy");
        ObjectNode pod = JsonNodeFactory.instance.objectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode metadata = ((ObjectNode) deployment.tree().path("spec").path("template").path("metadata")).deepCopy();
        metadata.put("namespace", "netattach-demo");
        metadata.put("generateName", "sip-proxy-5d4f8-");
        pod.set("metadata", metadata);
        pod.set("spec", deployment.tree().path("spec").path("template").path("spec").deepCopy());

        Injection injection = new PodInjector(NadLookup.of(nads)).inject(pod, "netattach-demo");

        assertEquals("[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]",
                injection.networks());
        assertEquals("management-net@eth1,sip-net@eth2", injection.audit());
        assertEquals(List.of(), injection.warnings());
    }

    @Test
    void theInjectionExampleUsesOtherAddressesThanTheSeedOnTheSameVlans() {
        Map<String, String> seed = addresses(Manifests.ofKind(Manifests.readTree(Manifests.DEPLOY.resolve("examples")), "NetworkAttachmentDefinition")
                .stream().filter(d -> d.tree().path("metadata").path("namespace").asText().equals("chain-example")).toList());
        Map<String, String> demo = addresses(Manifests.ofKind(INJECTION, "NetworkAttachmentDefinition"));
        assertEquals(Map.of("management-net", "192.168.100.10/24", "sip-net", "192.168.200.10/24"), seed);
        assertEquals(Map.of("management-net", "192.168.100.20/24", "sip-net", "192.168.200.20/24"), demo);
    }

    private static Map<String, String> addresses(List<Doc> nads) {
        Map<String, String> out = new HashMap<>();
        for (Doc nad : nads) {
            JsonNode config;
            try {
                config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(nad.tree().path("spec").path("config").asText());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            out.put(nad.name(), config.path("plugins").path(0).path("ipam").path("addresses").path(0).path("address").asText());
        }
        return out;
    }
}
