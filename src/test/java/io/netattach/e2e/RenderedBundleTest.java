package io.netattach.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundle as an external cluster gets it in one run ({@link RenderedBundle#forRun}): renamed and
 * labelled per run, references followed, webhooks narrowed to the run's namespaces, and nothing else
 * changed. On deploy/base as {@code kubectl kustomize} renders it.
 */
class RenderedBundleTest {

    static final String RUN = "rtest01";
    static final String LABEL = Cluster.RUN_LABEL;

    static RenderedBundle shipped() {
        Exec e = Exec.run("kubectl", "kustomize", Cluster.ROOT.resolve("deploy/base").toString());
        if (e.code() == -1) {
            System.out.println("RenderedBundleTest SKIPPED: kubectl not found");
            Assumptions.abort("kubectl not found");
        }
        assertTrue(e.ok(), e.output());
        return RenderedBundle.parse(e.out());
    }

    @Test
    void everythingTheRunCreatesIsNamedAndLabelledForTheRunWithReferencesFollowed() {
        RenderedBundle run = shipped().forRun(RUN, LABEL);
        List<ObjectNode> applied = new java.util.ArrayList<>(run.ofKinds(RenderedBundle.RBAC_KINDS));
        applied.addAll(run.ofKinds(RenderedBundle.WEBHOOK_KINDS));
        Set<String> clusterRoles = names(run, "ClusterRole");
        Set<String> roles = names(run, "Role");
        assertTrue(!clusterRoles.isEmpty() && !names(run, "Namespace").isEmpty(), "nothing rendered");
        for (ObjectNode o : applied) {
            String kind = o.path("kind").asText();
            JsonNode meta = o.path("metadata");
            String what = kind + "/" + meta.path("name").asText();
            assertEquals(RUN, meta.path("labels").path(LABEL).asText(), what + " not labelled for the run");
            if (!kind.equals("ServiceAccount")) {
                assertTrue(meta.path("name").asText().endsWith("-" + RUN), what + " not named for the run");
            }
            String ns = meta.path("namespace").asText();
            assertTrue(ns.isEmpty() || ns.equals("kube-system") || ns.endsWith("-" + RUN), what + " in namespace " + ns);
            if (o.has("roleRef")) {
                Set<String> targets = o.path("roleRef").path("kind").asText().equals("ClusterRole") ? clusterRoles : roles;
                assertTrue(targets.contains(o.path("roleRef").path("name").asText()), what + " refers to " + o.path("roleRef"));
                for (JsonNode s : o.path("subjects")) {
                    assertEquals("netattach-system-" + RUN, s.path("namespace").asText(), what + " subject " + s);
                }
            }
        }
    }

    @Test
    void webhooksAreNarrowedToTheRunsNamespacesAndOtherwiseAsShipped() {
        RenderedBundle shipped = shipped();
        List<ObjectNode> before = shipped.ofKinds(RenderedBundle.WEBHOOK_KINDS);
        List<ObjectNode> after = shipped.forRun(RUN, LABEL).ofKinds(RenderedBundle.WEBHOOK_KINDS);
        assertEquals(before.size(), after.size());
        int webhooks = 0;
        for (int i = 0; i < before.size(); i++) {
            for (int j = 0; j < before.get(i).path("webhooks").size(); j++) {
                JsonNode b = before.get(i).path("webhooks").get(j);
                JsonNode a = after.get(i).path("webhooks").get(j);
                webhooks++;
                for (String field : List.of("name", "rules", "failurePolicy", "objectSelector", "timeoutSeconds",
                        "reinvocationPolicy", "matchPolicy", "sideEffects", "matchConditions")) {
                    assertEquals(b.path(field), a.path(field), b.path("name").asText() + ": " + field + " changed");
                }
                assertEquals(b.path("namespaceSelector").path("matchLabels"), a.path("namespaceSelector").path("matchLabels"));
                JsonNode expressions = a.path("namespaceSelector").path("matchExpressions");
                JsonNode own = expressions.get(expressions.size() - 1);
                assertEquals(LABEL, own.path("key").asText());
                assertEquals("In", own.path("operator").asText());
                assertEquals("[\"" + RUN + "\"]", own.path("values").toString());
                assertEquals(b.path("namespaceSelector").path("matchExpressions").size() + 1, expressions.size());
                assertEquals(b.path("namespaceSelector").path("matchExpressions").toString()
                                .replace("\"netattach-system\"", "\"netattach-system-" + RUN + "\""),
                        withoutLast(expressions), b.path("name").asText() + ": namespace exclusions");
                assertEquals("netattach-system-" + RUN, a.path("clientConfig").path("service").path("namespace").asText());
            }
        }
        assertTrue(webhooks >= 4, "webhooks rendered: " + webhooks);
        // the webhook model the outage scenario uses: a namespace of another team is never matched
        assertEquals(null, WebhookDownE2E.failingWebhook(after, java.util.Map.of("netattach.io/injection", "enabled",
                "kubernetes.io/metadata.name", "other-team"), java.util.Map.of()));
        assertEquals("pods.mutate.netattach.io", WebhookDownE2E.failingWebhook(after, java.util.Map.of(
                "netattach.io/injection", "enabled", "kubernetes.io/metadata.name", "mine", LABEL, RUN), java.util.Map.of()));
    }

    static String withoutLast(JsonNode array) {
        var copy = (com.fasterxml.jackson.databind.node.ArrayNode) array.deepCopy();
        copy.remove(copy.size() - 1);
        return copy.toString();
    }

    static Set<String> names(RenderedBundle bundle, String kind) {
        return bundle.ofKinds(Set.of(kind)).stream().map(o -> o.path("metadata").path("name").asText()).collect(Collectors.toSet());
    }
}
