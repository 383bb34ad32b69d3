package io.netattach.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.NetworksAnnotation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Injection through the real API server with the shipped MutatingWebhookConfiguration (namespace
 * selector, object selector, reinvocation): the example bundle of {@code deploy/examples/injection}
 * (namespace labelled {@code netattach.io/injection=enabled}, two NADs with inject selectors, a
 * Deployment), pods created by the ReplicaSet controller of kube-controller-manager.
 *
 * <p>The namespace is also labelled {@code netattach.io/validation=enabled}, as a user of the component
 * {@code deploy/components/no-match-conditions} (API servers older than 1.28) labels every namespace whose
 * pods use secondary networks: under that component pods.validate.netattach.io only sees labelled
 * namespaces, and the missing-NAD refusal and the catalog probe rely on it. Under deploy/base the label
 * changes nothing.
 */
class InjectionE2E {

    static String NS;
    static Cluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.get();
        NS = cluster.ns("netattach-demo");
        Exec e = cluster.applyExamples("deploy/examples/injection/01-namespace.yaml",
                "deploy/examples/injection/02-nads.yaml");
        assertTrue(e.ok(), e.output());
        e = cluster.kubectl(null, "label", "namespace", NS, "netattach.io/validation=enabled", "--overwrite");
        assertTrue(e.ok(), e.output());
        Nads.api(cluster.admin).inNamespace(NS).resource(Nads.nad(NS, "extra-net",
                Nads.chain("extra-net", 300, "192.168.30.10/24", "192.168.30.1", "10.30.0.0/16"), Map.of())).serverSideApply();
        cluster.awaitPodAdmission(NS, "extra-net", true);
    }

    @Test
    void deploymentPodsCreatedByTheReplicaSetControllerCarryTheInjectedNetworksInOrder() {
        cluster.requireControllerManager();
        Exec e = cluster.applyExamples("deploy/examples/injection/03-deployment.yaml");
        assertTrue(e.ok(), e.output());
        Pod pod = awaitPod(NS, "app=sip-proxy", Duration.ofSeconds(60));
        assertNotNull(pod.getMetadata().getOwnerReferences().stream().filter(o -> o.getKind().equals("ReplicaSet"))
                .findFirst().orElse(null), "pod not created by a ReplicaSet: " + pod.getMetadata());
        List<String> networks = networks(pod);
        System.out.println("e2e: ReplicaSet pod " + pod.getMetadata().getName() + " networks " + networks
                + ", audit " + pod.getMetadata().getAnnotations().get("netattach.io/injected-networks"));
        assertEquals(List.of("management-net@eth1", "sip-net@eth2"), networks);
        assertNotNull(pod.getMetadata().getAnnotations().get("netattach.io/injected-networks"));
    }

    @Test
    void podLabelledInjectDisabledIsUntouched() {
        Pod pod = cluster.admin.pods().inNamespace(NS).resource(pod("opted-out",
                Map.of("app", "sip-proxy", "netattach.io/inject", "disabled"), Map.of())).create();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        assertTrue(annotations == null || (!annotations.containsKey(NetworksAnnotation.KEY)
                && !annotations.containsKey("netattach.io/injected-networks")), "annotations: " + annotations);
    }

    @Test
    void handWrittenAnnotationIsMergedAndKept() {
        Pod pod = cluster.admin.pods().inNamespace(NS).resource(pod("hand-written", Map.of("app", "sip-proxy"),
                Map.of(NetworksAnnotation.KEY, "extra-net@eth5", "example.com/keep", "yes"))).create();
        List<String> networks = networks(pod);
        System.out.println("e2e: hand-written extra-net@eth5 stored as " + networks);
        assertEquals("extra-net@eth5", networks.getFirst(), "the hand-written network leads");
        assertTrue(networks.containsAll(List.of("management-net@eth1", "sip-net@eth2")), networks.toString());
        assertEquals("yes", pod.getMetadata().getAnnotations().get("example.com/keep"));
    }

    @Test
    void podNamingAMissingNadIsRefused() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> cluster.admin.pods()
                .inNamespace(NS).resource(pod("missing-nad", Map.of("app", "other"),
                        Map.of(NetworksAnnotation.KEY, "no-such-net@eth1"))).create());
        String message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        System.out.println("e2e: missing NAD -> " + message);
        assertTrue(message.contains("admission webhook \"pods.validate.netattach.io\" denied the request"), message);
        assertTrue(message.contains("no-such-net"), message);
        assertNull(cluster.admin.pods().inNamespace(NS).withName("missing-nad").get());
    }

    static Pod pod(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("docker.io/library/busybox:1.37")
                .withCommand("sleep", "3600").endContainer().endSpec().build();
    }

    /** The pod's networks annotation as "name@interface" in order, parsed with the project's codec. */
    static List<String> networks(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(NetworksAnnotation.KEY);
        if (value == null) {
            fail("pod " + pod.getMetadata().getName() + " has no " + NetworksAnnotation.KEY + ": " + annotations);
        }
        if (!(NetworksAnnotation.parse(value) instanceof NetworksAnnotation.Parsed parsed)) {
            fail("stored annotation does not parse: " + value);
            return List.of();
        }
        return parsed.elements().stream().map(InjectionE2E::describe).toList();
    }

    static String describe(NetworkSelection s) {
        return s.name() + (s.interfaceName() == null ? "" : "@" + s.interfaceName());
    }

    static Pod awaitPod(String namespace, String selector, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var pods = cluster.admin.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
            var owned = pods.stream().filter(p -> !p.getMetadata().getOwnerReferences().isEmpty()).toList();
            if (!owned.isEmpty()) {
                return owned.getFirst();
            }
            Cluster.sleep(250);
        }
        Exec events = cluster.kubectl(null, "get", "events", "-n", namespace);
        Exec objects = cluster.kubectl(null, "get", "deployments,replicasets,pods", "-n", namespace, "-o", "wide");
        fail("no pod " + selector + " in " + namespace + " within " + timeout + " (kube-controller-manager "
                + (cluster.controllerManager == null ? "external" : cluster.controllerManager.isAlive() ? "running" : "exited")
                + ")\n" + events.output() + "\n" + objects.output());
        return null;
    }
}
