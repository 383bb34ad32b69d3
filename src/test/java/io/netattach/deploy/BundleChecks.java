package io.netattach.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.netattach.deploy.Manifests.Doc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Consistency checks over one set of manifests (the base files, or an overlay as kubectl renders
 * it): the pieces refer to each other correctly.
 */
final class BundleChecks {

    static final String NAMESPACE = "netattach-system";
    static final String SERVICE = "netattach-webhook";
    static final String TLS_SECRET = "netattach-webhook-tls";

    final List<Doc> docs;
    final String label;

    BundleChecks(String label, List<Doc> docs) {
        this.label = label;
        this.docs = docs;
    }

    Service service() {
        return Manifests.typed(Manifests.one(docs, "Service", SERVICE), Service.class);
    }

    Deployment deployment() {
        return Manifests.typed(Manifests.one(docs, "Deployment", "netattach-webhook"), Deployment.class);
    }

    DaemonSet daemonSet() {
        return Manifests.typed(Manifests.one(docs, "DaemonSet", "netattach-cni"), DaemonSet.class);
    }

    ValidatingWebhookConfiguration validating() {
        return Manifests.typed(Manifests.one(docs, "ValidatingWebhookConfiguration", "netattach"), ValidatingWebhookConfiguration.class);
    }

    MutatingWebhookConfiguration mutating() {
        return Manifests.typed(Manifests.one(docs, "MutatingWebhookConfiguration", "netattach"), MutatingWebhookConfiguration.class);
    }

    /** Every webhook's clientConfig, with its name. */
    Map<String, ServiceReference> clientServices() {
        Map<String, ServiceReference> refs = new java.util.LinkedHashMap<>();
        for (ValidatingWebhook w : validating().getWebhooks()) {
            assertEquals(null, w.getClientConfig().getUrl(), label + ": " + w.getName() + " must call the Service, not a URL");
            refs.put(w.getName(), w.getClientConfig().getService());
        }
        for (MutatingWebhook w : mutating().getWebhooks()) {
            assertEquals(null, w.getClientConfig().getUrl(), label + ": " + w.getName() + " must call the Service, not a URL");
            refs.put(w.getName(), w.getClientConfig().getService());
        }
        return refs;
    }

    void serviceMatchesEveryClientConfig() {
        Service service = service();
        assertEquals(NAMESPACE, service.getMetadata().getNamespace());
        for (Map.Entry<String, ServiceReference> e : clientServices().entrySet()) {
            ServiceReference ref = e.getValue();
            assertNotNull(ref, label + ": " + e.getKey() + " has no clientConfig.service");
            assertEquals(service.getMetadata().getName(), ref.getName(), label + ": " + e.getKey() + " service name");
            assertEquals(service.getMetadata().getNamespace(), ref.getNamespace(), label + ": " + e.getKey() + " service namespace");
            int port = ref.getPort() == null ? 443 : ref.getPort();
            ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst()
                    .orElseThrow(() -> new AssertionError(label + ": " + e.getKey() + " calls port " + port + ", which the Service lacks"));
            assertEquals(443, port);
            // the Service's target port is the webhook container's HTTPS port 8443
            Container webhook = container(deployment().getSpec().getTemplate().getSpec(), "webhook");
            ContainerPort target = webhook.getPorts().stream()
                    .filter(p -> servicePort.getTargetPort().getStrVal() != null
                            ? servicePort.getTargetPort().getStrVal().equals(p.getName())
                            : servicePort.getTargetPort().getIntVal().equals(p.getContainerPort()))
                    .findFirst().orElseThrow(() -> new AssertionError(label + ": Service targetPort " + servicePort.getTargetPort()
                            + " is no port of the webhook container"));
            assertEquals(8443, target.getContainerPort());
        }
    }

    void webhookPathsAreServerEndpoints(Set<String> endpoints) {
        Map<String, String> paths = new java.util.LinkedHashMap<>();
        clientServices().forEach((name, ref) -> paths.put(name, ref.getPath()));
        for (Map.Entry<String, String> e : paths.entrySet()) {
            assertTrue(endpoints.contains(e.getValue()), label + ": " + e.getKey() + " calls " + e.getValue()
                    + ", which the server does not serve " + endpoints);
        }
        assertEquals(endpoints, new HashSet<>(paths.values()), label + ": every admission endpoint has a webhook");
    }

    /** The validating webhooks in order: NADs, pods, workloads (injection namespaces), workloads (annotated templates elsewhere). */
    static final List<String> VALIDATING = List.of("nads.validate.netattach.io", "pods.validate.netattach.io",
            "workloads.validate.netattach.io", "workloads-annotated.validate.netattach.io");
    static final String MUTATING = "pods.mutate.netattach.io";

    void webhooksAreConfiguredAsSpecified() {
        List<ValidatingWebhook> validating = validating().getWebhooks();
        List<MutatingWebhook> mutating = mutating().getWebhooks();
        assertEquals(VALIDATING, validating.stream().map(ValidatingWebhook::getName).toList(), label + ": validating webhooks");
        assertEquals(List.of(MUTATING), mutating.stream().map(MutatingWebhook::getName).toList(), label + ": mutating webhooks");

        ValidatingWebhook nads = validating.get(0);
        assertEquals("/validate/network-attachment-definitions", nads.getClientConfig().getService().getPath());
        assertRule(nads.getRules(), "k8s.cni.cncf.io", "network-attachment-definitions", List.of("CREATE", "UPDATE"));
        assertEquals("Fail", nads.getFailurePolicy(), "a broken NAD is never stored");
        assertTrue(nads.getMatchConditions() == null || nads.getMatchConditions().isEmpty(), "every NAD is validated");

        ValidatingWebhook pods = validating.get(1);
        assertEquals("/validate/pods", pods.getClientConfig().getService().getPath());
        assertRule(pods.getRules(), "", "pods", List.of("CREATE"));
        assertEquals("Ignore", pods.getFailurePolicy(), "pod validation says early what Multus refuses later: fails open");

        assertEquals("/validate/workloads", validating.get(2).getClientConfig().getService().getPath());
        assertEquals("/validate/workloads-without-injection", validating.get(3).getClientConfig().getService().getPath());
        Map<String, String> injection = Map.of("kubernetes.io/metadata.name", "apps", "netattach.io/injection", "enabled");
        Map<String, String> plain = Map.of("kubernetes.io/metadata.name", "apps");
        // the two workload entries never review one workload twice, and the preview only where injection happens
        assertTrue(matches(validating.get(2).getNamespaceSelector(), injection));
        assertFalse(matches(validating.get(2).getNamespaceSelector(), plain));
        assertFalse(matches(validating.get(3).getNamespaceSelector(), injection));
        for (ValidatingWebhook workloads : validating.subList(2, 4)) {
            assertEquals(2, workloads.getRules().size());
            assertEquals(List.of("apps"), workloads.getRules().get(0).getApiGroups());
            assertEquals(List.of("deployments", "replicasets", "statefulsets", "daemonsets"), workloads.getRules().get(0).getResources());
            assertEquals(List.of("batch"), workloads.getRules().get(1).getApiGroups());
            assertEquals(List.of("jobs", "cronjobs"), workloads.getRules().get(1).getResources());
            for (RuleWithOperations rule : workloads.getRules()) {
                assertEquals(List.of("CREATE", "UPDATE"), rule.getOperations());
                assertEquals(List.of("v1"), rule.getApiVersions());
            }
            assertEquals("Ignore", workloads.getFailurePolicy(), workloads.getName() + ": warnings only, fails open");
        }

        MutatingWebhook mutate = mutating.getFirst();
        assertEquals("/mutate/pods", mutate.getClientConfig().getService().getPath());
        assertRule(mutate.getRules(), "", "pods", List.of("CREATE"));
        assertEquals("Fail", mutate.getFailurePolicy(), "an opted-in pod is never admitted without its networks");
        assertEquals("IfNeeded", mutate.getReinvocationPolicy());
        assertEquals(Map.of("netattach.io/injection", "enabled"), mutate.getNamespaceSelector().getMatchLabels());
        LabelSelector objectSelector = mutate.getObjectSelector();
        assertEquals(List.of(new LabelSelectorRequirement("netattach.io/inject", "NotIn", List.of("disabled"))),
                objectSelector.getMatchExpressions(), label + ": pods labelled netattach.io/inject=disabled opt out");
        assertTrue(matches(objectSelector, Map.of("app", "x")), "pods without the label are mutated");
        assertFalse(matches(objectSelector, Map.of("netattach.io/inject", "disabled")));

        for (var w : validating) {
            assertCommon(w.getName(), w.getSideEffects(), w.getAdmissionReviewVersions(), w.getTimeoutSeconds());
        }
        assertCommon(mutate.getName(), mutate.getSideEffects(), mutate.getAdmissionReviewVersions(), mutate.getTimeoutSeconds());
    }

    /** Every match condition of every webhook, by webhook name (none: an empty list). */
    Map<String, List<String>> matchConditionNames() {
        Map<String, List<String>> names = new java.util.LinkedHashMap<>();
        for (ValidatingWebhook w : validating().getWebhooks()) {
            names.put(w.getName(), w.getMatchConditions() == null ? List.of()
                    : w.getMatchConditions().stream().map(c -> c.getName()).toList());
        }
        for (MutatingWebhook w : mutating().getWebhooks()) {
            names.put(w.getName(), w.getMatchConditions() == null ? List.of()
                    : w.getMatchConditions().stream().map(c -> c.getName()).toList());
        }
        return names;
    }

    /** The scoping for API servers 1.28+: the pod and workload webhooks carry their CEL conditions. */
    void scopedByMatchConditions() {
        assertEquals(Map.of(
                VALIDATING.get(0), List.of(),
                VALIDATING.get(1), List.of("has-networks-annotation"),
                VALIDATING.get(2), List.of(),
                VALIDATING.get(3), List.of("template-has-networks-annotation"),
                MUTATING, List.of("not-host-network")), matchConditionNames(), label);
        Map<String, String> expressions = new java.util.HashMap<>();
        validating().getWebhooks().forEach(w -> { if (w.getMatchConditions() != null) {
            w.getMatchConditions().forEach(c -> expressions.put(c.getName(), c.getExpression()));
        } });
        mutating().getWebhooks().forEach(w -> w.getMatchConditions().forEach(c -> expressions.put(c.getName(), c.getExpression())));
        assertEquals("has(object.metadata.annotations) && 'k8s.v1.cni.cncf.io/networks' in object.metadata.annotations",
                expressions.get("has-networks-annotation"));
        String template = expressions.get("template-has-networks-annotation");
        assertTrue(template.contains("'k8s.v1.cni.cncf.io/networks' in object.spec.template.metadata.annotations")
                && template.contains("'k8s.v1.cni.cncf.io/networks' in object.spec.jobTemplate.spec.template.metadata.annotations"), template);
        assertEquals("!has(object.spec.hostNetwork) || !object.spec.hostNetwork", expressions.get("not-host-network"));
        // every has() guards the field the next test reads, so no expression can fail on a partial object
        for (String e : expressions.values()) {
            assertFalse(e.contains("\n"), e);
        }
    }

    /**
     * The scoping for API servers before 1.28 (component no-match-conditions): no matchConditions
     * anywhere, and every pod or workload webhook limited to namespaces that opted in by label.
     */
    void scopedByNamespaceLabels() {
        matchConditionNames().forEach((name, conditions) -> assertEquals(List.of(), conditions, label + ": " + name));
        Map<String, LabelSelector> selectors = new java.util.LinkedHashMap<>();
        validating().getWebhooks().stream().skip(1).forEach(w -> selectors.put(w.getName(), w.getNamespaceSelector()));
        mutating().getWebhooks().forEach(w -> selectors.put(w.getName(), w.getNamespaceSelector()));
        Map<String, String> plain = Map.of("kubernetes.io/metadata.name", "default");
        assertEquals(selectors.keySet().size(), 4);
        for (Map.Entry<String, LabelSelector> e : selectors.entrySet()) {
            assertNotNull(e.getValue(), label + ": " + e.getKey());
            assertFalse(e.getValue().getMatchLabels() == null || e.getValue().getMatchLabels().isEmpty(),
                    label + ": " + e.getKey() + " needs an opt-in label");
            assertFalse(matches(e.getValue(), plain), label + ": " + e.getKey() + " reaches a namespace that did not opt in");
        }
        Map<String, String> validation = Map.of("kubernetes.io/metadata.name", "apps", "netattach.io/validation", "enabled");
        Map<String, String> injection = Map.of("kubernetes.io/metadata.name", "apps", "netattach.io/injection", "enabled");
        Map<String, String> both = Map.of("kubernetes.io/metadata.name", "apps", "netattach.io/injection", "enabled",
                "netattach.io/validation", "enabled");
        assertTrue(matches(selectors.get(VALIDATING.get(1)), validation));
        assertFalse(matches(selectors.get(VALIDATING.get(1)), injection), "injection namespaces label validation too, to validate");
        assertTrue(matches(selectors.get(VALIDATING.get(1)), both));
        assertFalse(matches(selectors.get(VALIDATING.get(2)), validation));
        assertTrue(matches(selectors.get(VALIDATING.get(2)), injection));
        assertTrue(matches(selectors.get(VALIDATING.get(3)), validation));
        assertFalse(matches(selectors.get(VALIDATING.get(3)), injection));
        // a namespace labelled both is reviewed once per workload, by one entry
        assertTrue(matches(selectors.get(VALIDATING.get(2)), both) != matches(selectors.get(VALIDATING.get(3)), both));
        assertTrue(matches(selectors.get(MUTATING), injection));
        assertFalse(matches(selectors.get(MUTATING), validation));
    }

    private void assertCommon(String name, String sideEffects, List<String> versions, Integer timeout) {
        assertEquals("None", sideEffects, label + ": " + name + " sideEffects");
        assertEquals(List.of("v1"), versions, label + ": " + name + " admissionReviewVersions");
        assertEquals(5, timeout, label + ": " + name + " timeoutSeconds");
    }

    private void assertRule(List<RuleWithOperations> rules, String group, String resource, List<String> operations) {
        assertEquals(1, rules.size());
        RuleWithOperations rule = rules.getFirst();
        assertEquals(List.of(group), rule.getApiGroups());
        assertEquals(List.of(resource), rule.getResources());
        assertEquals(operations, rule.getOperations());
        assertEquals(List.of("v1"), rule.getApiVersions());
    }

    /** No webhook can block the webhook's own namespace or kube-system. */
    void ownNamespaceAndKubeSystemAreExcluded() {
        String own = deployment().getMetadata().getNamespace();
        assertEquals(NAMESPACE, own);
        List<LabelSelector> selectors = new ArrayList<>();
        validating().getWebhooks().forEach(w -> selectors.add(w.getNamespaceSelector()));
        mutating().getWebhooks().forEach(w -> selectors.add(w.getNamespaceSelector()));
        for (LabelSelector selector : selectors) {
            assertNotNull(selector, label + ": every webhook has a namespaceSelector");
            for (String excluded : List.of(own, "kube-system")) {
                // even if someone labels the namespace for injection, it stays excluded
                Map<String, String> labels = Map.of("kubernetes.io/metadata.name", excluded, "netattach.io/injection", "enabled");
                assertFalse(matches(selector, labels), label + ": namespace " + excluded + " is matched by " + selector);
            }
        }
        assertTrue(matches(mutating().getWebhooks().getFirst().getNamespaceSelector(),
                Map.of("kubernetes.io/metadata.name", "netattach-demo", "netattach.io/injection", "enabled")));
        assertFalse(matches(mutating().getWebhooks().getFirst().getNamespaceSelector(),
                Map.of("kubernetes.io/metadata.name", "default")), "namespaces opt in");
        assertTrue(matches(validating().getWebhooks().getFirst().getNamespaceSelector(),
                Map.of("kubernetes.io/metadata.name", "default")), "NADs are validated everywhere else");
    }

    void selectorsMatchLabels() {
        Deployment deployment = deployment();
        Map<String, String> webhookPods = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> cniPods = daemonSet().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(matches(deployment.getSpec().getSelector(), webhookPods), label + ": Deployment selector");
        assertTrue(matches(daemonSet().getSpec().getSelector(), cniPods), label + ": DaemonSet selector");
        assertFalse(matches(deployment.getSpec().getSelector(), cniPods), label + ": Deployment selects the DaemonSet's pods");
        assertFalse(matches(daemonSet().getSpec().getSelector(), webhookPods), label + ": DaemonSet selects the webhook's pods");

        Map<String, String> serviceSelector = service().getSpec().getSelector();
        assertTrue(webhookPods.entrySet().containsAll(serviceSelector.entrySet()), label + ": Service selects the webhook pods");
        assertFalse(cniPods.entrySet().containsAll(serviceSelector.entrySet()), label + ": Service selects the DaemonSet's pods");

        PodDisruptionBudget pdb = Manifests.typed(Manifests.one(docs, "PodDisruptionBudget", "netattach-webhook"), PodDisruptionBudget.class);
        assertTrue(matches(pdb.getSpec().getSelector(), webhookPods), label + ": PDB selector");
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        assertEquals(2, deployment.getSpec().getReplicas());

        var antiAffinity = deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().getFirst().getPodAffinityTerm();
        assertEquals("kubernetes.io/hostname", antiAffinity.getTopologyKey());
        assertTrue(matches(antiAffinity.getLabelSelector(), webhookPods), label + ": anti-affinity selects the webhook pods");

        // the pods of netattach are never mutated by netattach
        assertFalse(matches(mutating().getWebhooks().getFirst().getObjectSelector(), webhookPods));
        assertFalse(matches(mutating().getWebhooks().getFirst().getObjectSelector(), cniPods));
    }

    /**
     * The ClusterRole (and the kube-system Role for kubeadm-config) grant what the code asks of the
     * API server, read-only, nothing else (no Secret, no write verb, ConfigMaps only by name), and are
     * bound to the webhook's ServiceAccount.
     */
    void rbacCovers(Map<String, Set<String>> required) {
        ClusterRole role = Manifests.typed(Manifests.one(docs, "ClusterRole", "netattach-webhook"), ClusterRole.class);
        Role kubeadm = Manifests.typed(Manifests.one(docs, "Role", "netattach-webhook-kubeadm-config"), Role.class);
        assertEquals("kube-system", kubeadm.getMetadata().getNamespace(), label + ": the kubeadm-config Role is in kube-system");
        List<PolicyRule> all = new ArrayList<>(role.getRules());
        all.addAll(kubeadm.getRules());
        for (Map.Entry<String, Set<String>> e : required.entrySet()) {
            String[] groupResource = e.getKey().split("/", 2);
            Set<String> granted = new HashSet<>();
            for (PolicyRule rule : all) {
                if (rule.getApiGroups().contains(groupResource[0]) && rule.getResources().contains(groupResource[1])) {
                    granted.addAll(rule.getVerbs());
                }
            }
            assertTrue(granted.containsAll(e.getValue()), label + ": RBAC grants " + granted + " on " + e.getKey()
                    + ", the code needs " + e.getValue());
        }
        for (PolicyRule rule : all) {
            assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*") || rule.getApiGroups().contains("*"),
                    label + ": no wildcard in " + rule);
            for (String verb : rule.getVerbs()) {
                assertTrue(Set.of("get", "list", "watch").contains(verb), label + ": the webhook writes nothing, but " + verb + " is granted");
            }
            assertFalse(rule.getResources().contains("secrets"), label + ": no Secret is readable: " + rule);
            String key = rule.getApiGroups().getFirst() + "/" + rule.getResources().getFirst();
            assertTrue(required.containsKey(key), label + ": " + key + " is granted but the code never asks for it (least privilege)");
        }
        for (PolicyRule rule : role.getRules()) {
            assertFalse(rule.getResources().contains("configmaps"), label + ": no ConfigMap cluster-wide: " + rule);
        }
        assertEquals(1, kubeadm.getRules().size(), label + ": " + kubeadm.getRules());
        PolicyRule only = kubeadm.getRules().getFirst();
        assertEquals(List.of("configmaps"), only.getResources());
        assertEquals(List.of("kubeadm-config"), only.getResourceNames(), label + ": only the kubeadm-config ConfigMap");
        assertEquals(List.of("get"), only.getVerbs(), label + ": get only (no list: other ConfigMaps in kube-system stay forbidden)");
        RoleBinding kubeadmBinding = Manifests.typed(Manifests.one(docs, "RoleBinding", "netattach-webhook-kubeadm-config"), RoleBinding.class);
        assertEquals("kube-system", kubeadmBinding.getMetadata().getNamespace());
        assertEquals("Role", kubeadmBinding.getRoleRef().getKind());
        assertEquals(kubeadm.getMetadata().getName(), kubeadmBinding.getRoleRef().getName());
        assertEquals(1, kubeadmBinding.getSubjects().size());
        assertEquals("netattach-webhook", kubeadmBinding.getSubjects().getFirst().getName());
        assertEquals(NAMESPACE, kubeadmBinding.getSubjects().getFirst().getNamespace());
        ClusterRoleBinding binding = Manifests.typed(Manifests.one(docs, "ClusterRoleBinding", "netattach-webhook"), ClusterRoleBinding.class);
        assertEquals("netattach-webhook", binding.getRoleRef().getName());
        assertEquals(1, binding.getSubjects().size());
        var subject = binding.getSubjects().getFirst();
        assertEquals("ServiceAccount", subject.getKind());
        assertEquals(deployment().getSpec().getTemplate().getSpec().getServiceAccountName(), subject.getName());
        assertEquals(NAMESPACE, subject.getNamespace());
        Manifests.one(docs, "ServiceAccount", subject.getName());
    }

    /** The webhook pod: restricted security, TLS Secret mounted where the env points, writable /tmp only. */
    void webhookPodIsRestrictedAndMountsTheTlsSecret() {
        PodSpec pod = deployment().getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(null, pod.getSecurityContext().getRunAsUser(), "no fixed UID (OpenShift assigns one)");
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        Container c = container(pod, "webhook");
        assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        assertEquals(null, c.getSecurityContext().getRunAsUser());
        assertNotNull(c.getResources().getRequests().get("memory"));
        assertNotNull(c.getResources().getLimits().get("memory"));
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("HTTPS", c.getLivenessProbe().getHttpGet().getScheme());
        assertEquals("https", c.getReadinessProbe().getHttpGet().getPort().getStrVal());

        Volume tls = volume(pod, "tls");
        assertEquals(TLS_SECRET, tls.getSecret().getSecretName());
        VolumeMount tlsMount = mount(c, "tls");
        assertTrue(tlsMount.getReadOnly());
        Map<String, String> env = new java.util.HashMap<>();
        c.getEnv().forEach(v -> env.put(v.getName(), v.getValue()));
        assertEquals(tlsMount.getMountPath() + "/tls.crt", env.get("NETATTACH_TLS_CERT"));
        assertEquals(tlsMount.getMountPath() + "/tls.key", env.get("NETATTACH_TLS_KEY"));
        assertEquals("cluster", env.get("NETATTACH_CATALOG_MODE"), "netattach.catalog.mode: the informer, not a directory");
        assertNotNull(volume(pod, "tmp").getEmptyDir());
        assertEquals("/tmp", mount(c, "tmp").getMountPath());
    }

    /** The DaemonSet: install-cni init container, watch container with health, host directory, every taint. */
    void cniDaemonSetInstallsIntoTheHostDirectory(String hostDir) {
        PodSpec pod = daemonSet().getSpec().getTemplate().getSpec();
        assertEquals(1, pod.getTolerations().size());
        assertEquals("Exists", pod.getTolerations().getFirst().getOperator());
        assertEquals(null, pod.getTolerations().getFirst().getKey(), "tolerates every taint");
        assertEquals(null, pod.getTolerations().getFirst().getEffect(), "tolerates every effect");
        Volume cniBin = volume(pod, "cni-bin");
        assertEquals(hostDir, cniBin.getHostPath().getPath());
        Container init = pod.getInitContainers().stream().filter(c -> c.getName().equals("install-cni")).findFirst().orElseThrow();
        Container watch = container(pod, "watch");
        for (Container c : List.of(init, watch)) {
            assertEquals("install-cni", c.getArgs().getFirst(), label + ": " + c.getName() + " runs install-cni");
            String target = c.getArgs().get(c.getArgs().indexOf("--target") + 1);
            assertEquals(mount(c, "cni-bin").getMountPath(), target, label + ": " + c.getName() + " --target is the hostPath mount");
            String source = c.getArgs().get(c.getArgs().indexOf("--source") + 1);
            assertEquals("/opt/netattach/cni-bin", source, "the image's plugin directory (Dockerfile.native)");
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
            assertEquals(c.getImage(), container(deployment().getSpec().getTemplate().getSpec(), "webhook").getImage(),
                    "one image for webhook and installer");
        }
        assertFalse(init.getArgs().contains("--watch"));
        String seconds = watch.getArgs().get(watch.getArgs().indexOf("--watch") + 1);
        assertTrue(Integer.parseInt(seconds) > 0);
        String port = watch.getArgs().get(watch.getArgs().indexOf("--health-port") + 1);
        ContainerPort healthz = watch.getPorts().stream().filter(p -> p.getName().equals("healthz")).findFirst().orElseThrow();
        assertEquals(Integer.parseInt(port), healthz.getContainerPort());
        assertEquals("/healthz", watch.getLivenessProbe().getHttpGet().getPath());
        assertEquals("healthz", watch.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/healthz", watch.getReadinessProbe().getHttpGet().getPath());
        assertFalse(pod.getAutomountServiceAccountToken(), "the installer uses no API");
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static VolumeMount mount(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
    }

    /** Kubernetes label-selector semantics (matchLabels and In/NotIn/Exists/DoesNotExist). */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && r.getValues().contains(value);
                    case "NotIn" -> value == null || !r.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> fail("unknown operator " + r.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
