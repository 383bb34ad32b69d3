package io.netattach.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.zjsonpatch.JsonPatch;
import io.netattach.deploy.Manifests.Doc;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an outage of the webhook does to API requests, computed from the shipped webhook
 * configurations: the base as an API server 1.28+ applies it (matchConditions), and the base with
 * the component no-match-conditions as an older API server applies it. For each request: which
 * webhooks the API server calls, and so what happens while the webhook is down (connection refused:
 * refused if a called webhook has failurePolicy Fail) or hung (each call waits its timeoutSeconds;
 * mutating webhooks are called one after the other, validating ones in parallel).
 *
 * <p>Selectors are evaluated with Kubernetes' label-selector semantics; the CEL match conditions by
 * their name, whose expressions {@link BundleChecks#scopedByMatchConditions} pins. Prints the table
 * that docs/deploy.md shows:
 * {@code ./mvnw -B -o test -Dtest=BlastRadiusTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BlastRadiusTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One API request: the resource, the namespace's labels, and what the CEL conditions look at. */
    record Request(String what, String resource, Map<String, String> namespace, Map<String, String> objectLabels,
                   boolean networksAnnotation, boolean hostNetwork) {
    }

    private static Map<String, String> ns(String name, String... labels) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("kubernetes.io/metadata.name", name);
        for (String l : labels) {
            map.put(l, "enabled");
        }
        return map;
    }

    static final String INJECTION = "netattach.io/injection";
    static final String VALIDATION = "netattach.io/validation";

    static final List<Request> REQUESTS = List.of(
            new Request("NAD create or update", "network-attachment-definitions", ns("apps"), Map.of(), false, false),
            new Request("pod without networks annotation", "pods", ns("apps"), Map.of(), false, false),
            new Request("pod with networks annotation", "pods", ns("apps"), Map.of(), true, false),
            new Request("pod with networks annotation, namespace labelled validation", "pods", ns("apps", VALIDATION), Map.of(), true, false),
            new Request("pod in an injection namespace", "pods", ns("apps", INJECTION), Map.of(), false, false),
            new Request("pod in an injection namespace, labelled inject=disabled", "pods", ns("apps", INJECTION),
                    Map.of("netattach.io/inject", "disabled"), false, false),
            new Request("host-network pod in an injection namespace", "pods", ns("apps", INJECTION), Map.of(), false, true),
            new Request("pod in kube-system or netattach-system", "pods", ns("kube-system", INJECTION), Map.of(), true, false),
            new Request("Deployment, template without annotation", "deployments", ns("apps"), Map.of(), false, false),
            new Request("Deployment, template with networks annotation", "deployments", ns("apps"), Map.of(), true, false),
            new Request("Deployment, template with annotation, namespace labelled validation", "deployments", ns("apps", VALIDATION),
                    Map.of(), true, false),
            new Request("Deployment in an injection namespace", "deployments", ns("apps", INJECTION), Map.of(), false, false));

    /** A webhook as far as scoping goes. */
    record Hook(String name, boolean mutating, List<RuleWithOperations> rules, LabelSelector namespaceSelector,
                LabelSelector objectSelector, List<MatchCondition> conditions, String failurePolicy, int timeout) {
    }

    static List<Hook> hooks(BundleChecks checks) {
        List<Hook> hooks = new ArrayList<>();
        for (MutatingWebhook w : checks.mutating().getWebhooks()) {
            hooks.add(new Hook(w.getName(), true, w.getRules(), w.getNamespaceSelector(), w.getObjectSelector(),
                    w.getMatchConditions() == null ? List.of() : w.getMatchConditions(), w.getFailurePolicy(), w.getTimeoutSeconds()));
        }
        for (ValidatingWebhook w : checks.validating().getWebhooks()) {
            hooks.add(new Hook(w.getName(), false, w.getRules(), w.getNamespaceSelector(), w.getObjectSelector(),
                    w.getMatchConditions() == null ? List.of() : w.getMatchConditions(), w.getFailurePolicy(), w.getTimeoutSeconds()));
        }
        return hooks;
    }

    static boolean condition(MatchCondition c, Request r) {
        return switch (c.getName()) {
            case "has-networks-annotation", "template-has-networks-annotation" -> r.networksAnnotation();
            case "not-host-network" -> !r.hostNetwork();
            default -> throw new AssertionError("no model of match condition " + c.getName() + ": " + c.getExpression());
        };
    }

    static boolean called(Hook h, Request r) {
        boolean rule = h.rules().stream().anyMatch(rr -> rr.getResources().contains(r.resource()));
        return rule && BundleChecks.matches(h.namespaceSelector(), r.namespace())
                && BundleChecks.matches(h.objectSelector(), r.objectLabels())
                && h.conditions().stream().allMatch(c -> condition(c, r));
    }

    /** The outcome of {@code r} while the webhook is down, in words. */
    static String outcome(List<Hook> hooks, Request r) {
        List<Hook> called = hooks.stream().filter(h -> called(h, r)).toList();
        if (called.isEmpty()) {
            return "not sent: unaffected";
        }
        int wait = called.stream().filter(Hook::mutating).mapToInt(Hook::timeout).sum()
                + called.stream().filter(h -> !h.mutating()).mapToInt(Hook::timeout).max().orElse(0);
        boolean refused = called.stream().anyMatch(h -> "Fail".equals(h.failurePolicy()));
        return (refused ? "REFUSED" : "admitted (fails open)") + "; hung: +" + wait + " s";
    }

    static BundleChecks base() {
        return new BundleChecks("base", Manifests.readTree(Manifests.DEPLOY.resolve("base")));
    }

    /** The base with the component's JSON 6902 operations applied (what kustomize renders). */
    static BundleChecks withComponent() throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Doc doc : Manifests.readTree(Manifests.DEPLOY.resolve("base"))) {
            String patch = switch (doc.kind()) {
                case "ValidatingWebhookConfiguration" -> "validating.yaml";
                case "MutatingWebhookConfiguration" -> "mutating.yaml";
                default -> null;
            };
            if (patch == null) {
                docs.add(doc);
                continue;
            }
            JsonNode ops = YAML.readTree(Manifests.DEPLOY.resolve("components/no-match-conditions").resolve(patch).toFile());
            docs.add(new Doc(doc.file(), doc.index(), (ObjectNode) JsonPatch.apply(ops, doc.tree())));
        }
        return new BundleChecks("base + no-match-conditions", docs);
    }

    @Test
    void outageTouchesOnlyWhatTheWebhooksConcern() throws IOException {
        List<Hook> modern = hooks(base());
        BundleChecks component = withComponent();
        component.scopedByNamespaceLabels();
        List<Hook> old = hooks(component);
        StringBuilder table = new StringBuilder("| request | API server 1.28+ (base) | API server < 1.28 (component no-match-conditions) |\n|---|---|---|\n");
        Map<String, List<String>> outcomes = new LinkedHashMap<>();
        for (Request r : REQUESTS) {
            String a = outcome(modern, r);
            String b = outcome(old, r);
            outcomes.put(r.what(), List.of(a, b));
            table.append("| ").append(r.what()).append(" | ").append(a).append(" | ").append(b).append(" |\n");
        }
        System.out.println("Blast radius of a webhook outage (refused: connection refused; hung: added latency)\n" + table);

        String unaffected = "not sent: unaffected";
        String refused = "REFUSED; hung: +5 s";
        String open = "admitted (fails open); hung: +5 s";
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("NAD create or update", List.of(refused, refused));
        expected.put("pod without networks annotation", List.of(unaffected, unaffected));
        expected.put("pod with networks annotation", List.of(open, unaffected));
        expected.put("pod with networks annotation, namespace labelled validation", List.of(open, open));
        expected.put("pod in an injection namespace", List.of(refused, refused));
        expected.put("pod in an injection namespace, labelled inject=disabled", List.of(unaffected, unaffected));
        expected.put("host-network pod in an injection namespace", List.of(unaffected, refused));
        expected.put("pod in kube-system or netattach-system", List.of(unaffected, unaffected));
        expected.put("Deployment, template without annotation", List.of(unaffected, unaffected));
        expected.put("Deployment, template with networks annotation", List.of(open, unaffected));
        expected.put("Deployment, template with annotation, namespace labelled validation", List.of(open, open));
        expected.put("Deployment in an injection namespace", List.of(open, open));
        assertEquals(expected, outcomes, table::toString);
    }
}
