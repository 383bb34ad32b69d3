package io.netattach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.injection.Injection;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.PatchOperation;
import io.netattach.injection.PodInjector;
import io.netattach.injection.PodValidator;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NetworkPlan;
import io.netattach.plan.PodPlans;
import io.netattach.manifest.ManifestReader;
import io.netattach.cni.Finding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code netattach plan --nads PATH... POD_FILE}: the pod's secondary interfaces and routes as the
 * bundled plugins will leave them, in the form of {@code ip addr} / {@code ip route}, and the
 * conflicts between its networks and with the cluster. The pod is first injected as the mutating
 * webhook would ({@code inject}); workloads with a pod template are planned for their pods.
 * Exit 0: no errors (warnings allowed); 1: errors; 2: usage or unreadable input.
 */
@Command(name = "plan", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Predict a pod's secondary interfaces and routes (ip addr / ip route form) and report",
                "conflicts between its networks and with the cluster's networks."},
        footer = {"exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error or unreadable input"})
public final class PlanCommand extends CliCommand {

    @Option(names = "--nads", required = true, paramLabel = "PATH",
            description = "NAD manifests: files or directories (recursive), YAML or JSON; repeatable")
    List<Path> nads = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "POD_FILE",
            description = "Pods or workloads with a pod template, YAML or JSON, several documents; - for stdin")
    String podFile;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "output: text (ip addr / ip route and findings) or json")
    String format;

    @Option(names = {"--namespace", "-n"}, paramLabel = "NS",
            description = "namespace of objects without metadata.namespace (default: default)")
    String namespace;

    @Option(names = "--pod-networks", paramLabel = "CIDR,...", description = "the cluster's pod networks")
    String podNetworks;

    @Option(names = "--service-networks", paramLabel = "CIDR,...", description = "the cluster's service networks")
    String serviceNetworks;

    @Option(names = "--openshift-defaults",
            description = "the cluster networks of an OpenShift default install (10.128.0.0/14, 172.30.0.0/16)")
    boolean openshiftDefaults;

    @Option(names = "--route-policy", defaultValue = "warn", paramLabel = "warn|deny",
            description = "a route covering a cluster network is a warning (warn) or an error (deny)")
    String routePolicy;

    @Override
    public Integer call() {
        if (podFile == null) {
            return usage("no POD_FILE given");
        }
        if (!format.equals("text") && !format.equals("json")) {
            return usage("--format must be text or json, got \"" + format + "\"");
        }
        ClusterNetworks cluster;
        try {
            ClusterNetworks.RoutePolicy policy = ClusterNetworks.policy(routePolicy);
            cluster = openshiftDefaults ? ClusterNetworks.OPENSHIFT_DEFAULTS.withPolicy(policy) : ClusterNetworks.NONE;
            if (podNetworks != null || serviceNetworks != null) {
                ClusterNetworks given = ClusterNetworks.of(podNetworks, serviceNetworks, policy);
                List<io.netattach.cni.IpPrefix> pods = new ArrayList<>(cluster.podNetworks());
                pods.addAll(given.podNetworks());
                List<io.netattach.cni.IpPrefix> services = new ArrayList<>(cluster.serviceNetworks());
                services.addAll(given.serviceNetworks());
                cluster = new ClusterNetworks(pods, services, policy);
            } else {
                cluster = cluster.withPolicy(policy);
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        ManifestReader reader = new ManifestReader();
        String defaultNamespace = namespace == null ? "default" : namespace;
        List<NadInfo> infos = InjectCommand.readNads(reader, nads, defaultNamespace, "plan", err);
        if (infos == null) {
            return 2;
        }
        List<ManifestReader.Document> documents = InjectCommand.readPods(reader, podFile, "plan", err);
        if (documents == null) {
            return 2;
        }
        Path pods = Path.of(podFile);

        NadLookup lookup = NadLookup.of(infos);
        PodInjector injector = new PodInjector(lookup);
        PodPlans plans = new PodPlans(cluster);
        PodValidator validator = new PodValidator(lookup, PodValidator.MissingNad.DENY, List.of(plans));
        int processed = 0;
        int errors = 0;
        int warnings = 0;
        StringBuilder text = new StringBuilder();
        List<JsonValue> json = new ArrayList<>();
        for (ManifestReader.Document doc : documents) {
            if (!(doc.content() instanceof ManifestReader.Content.KubernetesObject(JsonNode node)) || !node.isObject()) {
                continue;
            }
            String kind = node.path("kind").asText("");
            InjectCommand.Template template = InjectCommand.WORKLOADS.get(kind);
            if (!kind.equals("Pod") && template == null) {
                continue;
            }
            processed++;
            String objectNamespace = node.path("metadata").path("namespace").asText("");
            String podNamespace = !objectNamespace.isEmpty() ? objectNamespace : defaultNamespace;
            JsonNode pod = template == null ? node : InjectCommand.templatePod(node, template, podNamespace);
            Injection injection = injector.inject(pod, podNamespace);
            JsonNode injected = injection.changed()
                    ? JsonPatch.apply(PatchOperation.toJson(injection.patch()), pod) : pod;
            String prefix = doc.itemPointer() + (template == null ? "" : template.pointer());
            List<Finding> findings = new ArrayList<>(injection.warnings());
            findings.addAll(validator.validate(injected, podNamespace));
            NetworkPlan plan = plans.plan(injected, podNamespace, lookup).orElse(null);
            String title = kind + " " + podNamespace + "/" + node.path("metadata").path("name").asText("?");
            List<Finding> shown = findings.stream().map(f -> new Finding(f.severity(), prefix + f.path(), f.message())).toList();
            errors += (int) shown.stream().filter(Finding::isError).count();
            warnings += (int) shown.stream().filter(f -> !f.isError()).count();
            if (format.equals("json")) {
                Map<String, JsonValue> m = new LinkedHashMap<>();
                m.put("file", new JsonString(pods + ":" + doc.index()));
                m.put("object", new JsonString(title));
                JsonObject planJson = plan == null ? NetworkPlanJson.EMPTY : plan.toJson();
                m.put("interfaces", planJson.get("interfaces").orElseThrow());
                m.put("routes", planJson.get("routes").orElseThrow());
                m.put("findings", new JsonArray(shown.stream().map(PlanCommand::json).toList()));
                m.put("notes", planJson.get("notes").orElseThrow());
                json.add(new JsonObject(m));
            } else {
                if (!text.isEmpty()) {
                    text.append("\n");
                }
                text.append("# ").append(title).append(" (").append(pods).append(":").append(doc.index()).append(")\n");
                if (plan == null || plan.interfaces().isEmpty()) {
                    text.append("no secondary interface planned\n");
                } else {
                    text.append("$ ip addr    # secondary interfaces, predicted\n").append(plan.ipAddr());
                    text.append("$ ip route   # routes through them, predicted (eth0's not shown)\n").append(plan.ipRoute());
                }
                if (plan != null) {
                    for (String note : plan.notes()) {
                        text.append("note: ").append(note).append("\n");
                    }
                }
                for (Finding f : shown) {
                    text.append(f).append("\n");
                }
            }
        }
        if (processed == 0) {
            err.println("netattach plan: " + pods + " holds no Pod or workload with a pod template");
            return 2;
        }
        if (format.equals("json")) {
            out.println(Json.writePretty(new JsonArray(json)));
        } else {
            out.print(text);
        }
        err.println("plan: " + processed + " pod" + (processed == 1 ? "" : "s") + ": " + errors + " error"
                + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s"));
        return errors > 0 ? 1 : 0;
    }

    private static JsonValue json(Finding f) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("severity", new JsonString(f.severity().name()));
        m.put("path", new JsonString(f.path()));
        m.put("message", new JsonString(f.message()));
        return new JsonObject(m);
    }

    private int usage(String message) {
        throw usageError(message);
    }

    /** An empty plan's JSON members. */
    private static final class NetworkPlanJson {
        static final JsonObject EMPTY = new NetworkPlan(List.of(), List.of(), List.of(), List.of()).toJson();
    }
}
