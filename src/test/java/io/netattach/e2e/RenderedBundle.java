package io.netattach.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The deploy bundle as {@code kubectl kustomize DIR} renders it, and the two changes the suite makes
 * to run it without a cluster network: each webhook's {@code clientConfig.service} becomes
 * {@code url: https://127.0.0.1:PORT/PATH} with the test CA as {@code caBundle}, and, on API servers
 * older than 1.28 (which reject them), any {@code matchConditions} left are removed with a printed note.
 * By default such a server is tested with deploy/base plus the component no-match-conditions, which has
 * none (see {@link Cluster#kustomizeDir}); the removal is only a fallback for an explicit
 * -Dnetattach.e2e.kustomize=DIR that still has them. Everything else (rules, selectors, failure policies, timeouts, reinvocation) is applied as shipped.
 */
record RenderedBundle(List<ObjectNode> objects) {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> RBAC_KINDS = Set.of("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding",
            "Role", "RoleBinding");
    static final Set<String> WEBHOOK_KINDS = Set.of("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    static RenderedBundle parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = new YAMLMapper().readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n instanceof ObjectNode o && o.has("kind")) {
                    objects.add(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("rendered bundle is not YAML: " + e.getMessage(), e);
        }
        return new RenderedBundle(objects);
    }

    List<ObjectNode> ofKinds(Set<String> kinds) {
        return objects.stream().filter(o -> kinds.contains(o.path("kind").asText())).toList();
    }

    /** The namespace and RBAC objects, as a kubectl-appliable JSON List. */
    String rbacList() {
        return list(ofKinds(RBAC_KINDS));
    }

    /**
     * The webhook configurations with clientConfig pointed at {@code baseUrl} and {@code caBundle}; on a
     * server older than 1.28 without matchConditions (printing each removal to {@code log}).
     */
    List<ObjectNode> webhookConfigurations(String baseUrl, String caBundle, int serverMinor, PrintStream log) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode config : ofKinds(WEBHOOK_KINDS)) {
            ObjectNode copy = config.deepCopy();
            for (JsonNode w : copy.path("webhooks")) {
                ObjectNode webhook = (ObjectNode) w;
                JsonNode service = webhook.path("clientConfig").path("service");
                if (service.isMissingNode()) {
                    throw new IllegalArgumentException("webhook " + webhook.path("name").asText()
                            + " has no clientConfig.service to redirect");
                }
                ObjectNode client = JSON.createObjectNode();
                client.put("url", baseUrl + service.path("path").asText("/"));
                client.put("caBundle", caBundle);
                webhook.set("clientConfig", client);
                if (serverMinor < 28 && webhook.has("matchConditions")) {
                    log.println("e2e: API server 1." + serverMinor + " rejects matchConditions: removed "
                            + webhook.path("matchConditions").size() + " from " + copy.path("kind").asText()
                            + " webhook " + webhook.path("name").asText()
                            + " (fallback: the explicit kustomize dir does not include deploy/components/no-match-conditions)");
                    webhook.remove("matchConditions");
                }
            }
            out.add(copy);
        }
        return out;
    }

    /**
     * The bundle as an external (possibly shared) cluster gets it in one run of the suite: every namespace of
     * the bundle and every cluster-scoped or kube-system object renamed with the suffix {@code -RUN}
     * (references followed: role bindings' roleRef and subjects, the webhooks' service namespace and their
     * namespace exclusions), and each webhook's namespaceSelector narrowed with the requirement
     * {@code runLabel In (RUN)}, so that the suite's webhook only ever sees requests in the run's own
     * namespaces. Every object carries the label {@code runLabel=RUN} (leftovers of a killed run are found by it). Rules, object selectors, failure policies, timeouts, reinvocation and RBAC rules stay as shipped.
     */
    RenderedBundle forRun(String run, String runLabel) {
        String suffix = "-" + run;
        Set<String> namespaces = new java.util.HashSet<>();
        for (ObjectNode o : ofKinds(Set.of("Namespace"))) {
            namespaces.add(o.path("metadata").path("name").asText());
        }
        Set<String> renamedKinds = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
                "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode original : objects) {
            ObjectNode o = original.deepCopy();
            ObjectNode meta = (ObjectNode) o.path("metadata");
            String kind = o.path("kind").asText();
            if (renamedKinds.contains(kind)) {
                meta.put("name", meta.path("name").asText() + suffix);
            }
            (meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels")).put(runLabel, run);
            if (namespaces.contains(meta.path("namespace").asText())) {
                meta.put("namespace", meta.path("namespace").asText() + suffix);
            }
            if (o.path("roleRef").isObject()) {
                ((ObjectNode) o.get("roleRef")).put("name", o.path("roleRef").path("name").asText() + suffix);
            }
            for (JsonNode subject : o.path("subjects")) {
                if (namespaces.contains(subject.path("namespace").asText())) {
                    ((ObjectNode) subject).put("namespace", subject.path("namespace").asText() + suffix);
                }
            }
            for (JsonNode w : o.path("webhooks")) {
                ObjectNode webhook = (ObjectNode) w;
                JsonNode service = webhook.path("clientConfig").path("service");
                if (namespaces.contains(service.path("namespace").asText())) {
                    ((ObjectNode) service).put("namespace", service.path("namespace").asText() + suffix);
                }
                ObjectNode selector = webhook.has("namespaceSelector") ? (ObjectNode) webhook.get("namespaceSelector")
                        : webhook.putObject("namespaceSelector");
                var expressions = selector.has("matchExpressions") ? (com.fasterxml.jackson.databind.node.ArrayNode)
                        selector.get("matchExpressions") : selector.putArray("matchExpressions");
                for (JsonNode x : expressions) {
                    var values = (com.fasterxml.jackson.databind.node.ArrayNode) x.path("values");
                    for (int i = 0; x.has("values") && i < values.size(); i++) {
                        if (namespaces.contains(values.get(i).asText())) {
                            values.set(i, values.get(i).asText() + suffix);
                        }
                    }
                }
                ObjectNode own = expressions.addObject();
                own.put("key", runLabel);
                own.put("operator", "In");
                own.putArray("values").add(run);
            }
            out.add(o);
        }
        return new RenderedBundle(out);
    }

    /** The names of the webhook configurations, as kubectl resource/name arguments. */
    List<String> webhookConfigurationRefs() {
        return ofKinds(WEBHOOK_KINDS).stream().map(o -> o.path("kind").asText().toLowerCase() + "/"
                + o.path("metadata").path("name").asText()).toList();
    }

    static String list(List<ObjectNode> items) {
        ObjectNode list = JSON.createObjectNode();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.putArray("items").addAll(items);
        return list.toString();
    }
}
