package io.netattach.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook down (process stopped, configurations still registered): NAD writes are refused as
 * {@code failurePolicy: Fail} says, and pod creates follow the shipped policies. The expected outcome of
 * each pod create is derived from the rendered configurations (rules, namespace and object selectors,
 * failure policy), so the check follows the bundle as it changes; the blast radius is printed. A third
 * namespace is labelled {@code netattach.io/validation=enabled}, as users of the component
 * no-match-conditions (API servers < 1.28) label namespaces whose pods use secondary networks.
 */
class WebhookDownE2E {

    static String PLAIN;
    static String INJECT;
    static String VALIDATED;
    static Cluster cluster;

    @BeforeAll
    static void stopWebhook() {
        cluster = Cluster.get();
        PLAIN = cluster.ns("e2e-down-plain");
        INJECT = cluster.ns("e2e-down-inject");
        VALIDATED = cluster.ns("e2e-down-validated");
        cluster.namespace(PLAIN, Map.of());
        cluster.namespace(INJECT, Map.of("netattach.io/injection", "enabled"));
        cluster.namespace(VALIDATED, Cluster.VALIDATION_ENABLED);
        cluster.webhook.stop();
    }

    @AfterAll
    static void startWebhook() {
        if (cluster != null) {
            cluster.webhook.start();
            cluster.awaitEnforced(true);
        }
    }

    @Test
    void nadWritesAreRefusedWhileTheWebhookIsDown() {
        String config = Nads.chain("while-down", 100, "192.168.50.10/24", "192.168.50.1", "10.50.0.0/16");
        KubernetesClientException e = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> Nads.api(cluster.admin).inNamespace(PLAIN).resource(Nads.nad(PLAIN, "while-down", config, Map.of()))
                        .create());
        String message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        System.out.println("e2e: webhook down: NAD create -> HTTP " + e.getCode() + " " + message);
        assertTrue(message.contains("failed calling webhook \"nads.validate.netattach.io\""), message);
    }

    @Test
    void podCreatesFollowTheShippedFailurePolicies() {
        record Case(String what, String namespace, Map<String, String> labels, Map<String, String> annotations) {
        }
        List<Case> cases = List.of(
                new Case("plain namespace, no networks", PLAIN, Map.of("app", "web"), Map.of()),
                new Case("plain namespace, networks annotation", PLAIN, Map.of("app", "web"),
                        Map.of("k8s.v1.cni.cncf.io/networks", "some-net@eth1")),
                new Case("injection namespace, no networks", INJECT, Map.of("app", "web"), Map.of()),
                new Case("injection namespace, inject=disabled", INJECT,
                        Map.of("app", "web", "netattach.io/inject", "disabled"), Map.of()),
                new Case("validation namespace, no networks", VALIDATED, Map.of("app", "web"), Map.of()),
                new Case("validation namespace, networks annotation", VALIDATED, Map.of("app", "web"),
                        Map.of("k8s.v1.cni.cncf.io/networks", "some-net@eth1")),
                new Case("kube-system", "kube-system", Map.of("app", "web"), Map.of()));
        List<ObjectNode> configs = cluster.bundle.webhookConfigurations(cluster.webhookUrl(), cluster.caBundle,
                cluster.serverMinor, System.out);
        List<String> mismatches = new ArrayList<>();
        System.out.println("e2e: blast radius of a webhook outage (pod CREATE, shipped policies, bundle "
                + Cluster.ROOT.relativize(cluster.kustomize) + "):");
        for (Case c : cases) {
            Map<String, String> nsLabels = new HashMap<>(cluster.admin.namespaces().withName(c.namespace()).get()
                    .getMetadata().getLabels());
            String expectedBy = failingWebhook(configs, nsLabels, c.labels());
            Pod pod = InjectionE2E.pod("down-probe", c.labels(), c.annotations());
            String actual;
            try {
                cluster.admin.pods().inNamespace(c.namespace()).resource(pod).dryRun().create();
                actual = "admitted";
            } catch (KubernetesClientException e) {
                String m = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
                actual = m.contains("failed calling webhook") ? "REFUSED (" + m.replaceAll(".*failed calling webhook (\"[^\"]+\").*", "$1") + ")"
                        : "denied otherwise: " + m;
            }
            String expected = expectedBy == null ? "admitted" : "REFUSED (\"" + expectedBy + "\")";
            System.out.printf("e2e:   %-42s %s%n", c.what(), actual);
            if (!actual.equals(expected)) {
                mismatches.add(c.what() + ": expected " + expected + " but " + actual);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** The first pod webhook with failurePolicy Fail that applies to a pod CREATE with these labels, or null. */
    static String failingWebhook(List<ObjectNode> configs, Map<String, String> nsLabels, Map<String, String> podLabels) {
        for (ObjectNode config : configs) {
            for (JsonNode w : config.path("webhooks")) {
                if (!w.path("failurePolicy").asText("Fail").equals("Fail") || !coversPodCreate(w)) {
                    continue;
                }
                if (matches(w.path("namespaceSelector"), nsLabels) && matches(w.path("objectSelector"), podLabels)) {
                    return w.path("name").asText();
                }
            }
        }
        return null;
    }

    static boolean coversPodCreate(JsonNode webhook) {
        for (JsonNode rule : webhook.path("rules")) {
            boolean pods = false;
            boolean create = false;
            for (JsonNode r : rule.path("resources")) {
                pods |= r.asText().equals("pods") || r.asText().equals("*");
            }
            for (JsonNode o : rule.path("operations")) {
                create |= o.asText().equals("CREATE") || o.asText().equals("*");
            }
            if (pods && create) {
                return true;
            }
        }
        return false;
    }

    /** A Kubernetes label selector (matchLabels, matchExpressions) against labels; absent matches everything. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (var e : selector.path("matchLabels").properties()) {
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode x : selector.path("matchExpressions")) {
            String value = labels.get(x.path("key").asText());
            List<String> values = new ArrayList<>();
            x.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (x.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("unknown selector operator " + x);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
