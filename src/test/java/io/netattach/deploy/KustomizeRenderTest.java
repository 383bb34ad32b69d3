package io.netattach.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.netattach.deploy.Manifests.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kubectl kustomize} renders the base and every overlay, and what it renders is consistent.
 * Uses the kubectl named by the environment variable {@code KUBECTL}, else the one on the PATH
 * (Debian: package kubernetes-client); skipped with the reason when there is none.
 */
class KustomizeRenderTest {

    @TempDir
    static Path tmp;

    private static Path deploy;
    private static String kubectl;

    @BeforeAll
    static void copyTheBundleAndGenerateCertificates() throws Exception {
        kubectl = findKubectl().orElse(null);
        if (kubectl == null) {
            return;
        }
        deploy = tmp.resolve("deploy");
        try (Stream<Path> files = Files.walk(Manifests.DEPLOY)) {
            for (Path f : files.toList()) {
                Path rel = Manifests.DEPLOY.relativize(f);
                if (rel.startsWith("overlays/self-signed/tls")) {
                    continue;
                }
                Path to = deploy.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Run gen = run(List.of("bash", Manifests.ROOT.resolve("certs/generate.sh").toString(),
                "--out", deploy.resolve("overlays/self-signed/tls").toString()));
        assertEquals(0, gen.exit(), gen.err());
    }

    private static Optional<String> findKubectl() {
        String env = System.getenv("KUBECTL");
        if (env != null && !env.isBlank()) {
            return Optional.of(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static void requireKubectl() {
        assumeTrue(kubectl != null, "skipped: no kubectl on the PATH (Debian: apt-get install kubernetes-client) and KUBECTL unset");
    }

    private static List<Doc> render(String dir) throws Exception {
        requireKubectl();
        Run r = run(List.of(kubectl, "kustomize", deploy.resolve(dir).toString()));
        assertEquals(0, r.exit(), "kubectl kustomize " + dir + " failed: " + r.err());
        List<Doc> docs = Manifests.parse(Path.of(dir + " (rendered)"), r.out());
        for (Doc doc : docs) {
            if (Manifests.TYPED.containsKey(doc.key())) {
                Manifests.typed(doc);
            } else {
                Manifests.generic(doc, java.util.Set.of("apiVersion", "kind", "metadata", "spec"));
            }
        }
        return docs;
    }

    private static BundleChecks checkAll(String dir, String hostCniDir) throws Exception {
        return checkAll(dir, hostCniDir, false);
    }

    private static BundleChecks checkAll(String dir, String hostCniDir, boolean withoutMatchConditions) throws Exception {
        BundleChecks checks = new BundleChecks(dir, render(dir));
        checks.serviceMatchesEveryClientConfig();
        checks.webhooksAreConfiguredAsSpecified();
        if (withoutMatchConditions) {
            checks.scopedByNamespaceLabels();
        } else {
            checks.scopedByMatchConditions();
        }
        checks.ownNamespaceAndKubeSystemAreExcluded();
        checks.selectorsMatchLabels();
        checks.rbacCovers(SourceScan.apiCalls());
        checks.webhookPodIsRestrictedAndMountsTheTlsSecret();
        checks.cniDaemonSetInstallsIntoTheHostDirectory(hostCniDir);
        return checks;
    }

    @Test
    void baseRenders() throws Exception {
        BundleChecks base = checkAll("base", "/opt/cni/bin");
        assertEquals(List.of(), Manifests.ofKind(base.docs, "Secret"), "the base creates no Secret: the overlays do");
    }

    @Test
    void selfSignedOverlayRendersWithTheGeneratedSecretAndCaBundle() throws Exception {
        BundleChecks checks = checkAll("overlays/self-signed", "/opt/cni/bin");
        Path tls = deploy.resolve("overlays/self-signed/tls");
        Secret secret = Manifests.typed(Manifests.one(checks.docs, "Secret", BundleChecks.TLS_SECRET), Secret.class);
        assertEquals(BundleChecks.NAMESPACE, secret.getMetadata().getNamespace());
        assertEquals("kubernetes.io/tls", secret.getType());
        assertEquals(Files.readString(tls.resolve("tls.crt")), decode(secret.getData().get("tls.crt")));
        assertEquals(Files.readString(tls.resolve("tls.key")), decode(secret.getData().get("tls.key")));
        String bundle = Files.readString(tls.resolve("ca-bundle.b64")).strip();
        assertEquals(Files.readString(tls.resolve("ca.crt")), decode(bundle));
        ValidatingWebhookConfiguration v = checks.validating();
        MutatingWebhookConfiguration m = checks.mutating();
        v.getWebhooks().forEach(w -> assertEquals(bundle, w.getClientConfig().getCaBundle(), w.getName()));
        m.getWebhooks().forEach(w -> assertEquals(bundle, w.getClientConfig().getCaBundle(), w.getName()));
    }

    @Test
    void certManagerOverlayRendersWithCertificatesAndCaInjection() throws Exception {
        BundleChecks checks = checkAll("overlays/cert-manager", "/opt/cni/bin");
        assertEquals(2, Manifests.ofKind(checks.docs, "Certificate").size());
        assertEquals(2, Manifests.ofKind(checks.docs, "Issuer").size());
        assertEquals("netattach-system/netattach-webhook",
                checks.validating().getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from"));
        assertEquals("netattach-system/netattach-webhook",
                checks.mutating().getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from"));
        assertEquals(4, checks.validating().getWebhooks().size(), "the annotation patch keeps every webhook");
    }

    @Test
    void openshiftOverlayRendersWithServiceCaAndPrivilegedInstallerOnly() throws Exception {
        // OpenShift 4.13 is Kubernetes 1.26: no matchConditions, scoped by namespace labels
        BundleChecks checks = checkAll("overlays/openshift", "/var/lib/cni/bin", true);
        assertEquals(BundleChecks.TLS_SECRET, checks.service().getMetadata().getAnnotations()
                .get("service.beta.openshift.io/serving-cert-secret-name"));
        assertEquals("true", checks.validating().getMetadata().getAnnotations().get("service.beta.openshift.io/inject-cabundle"));
        assertEquals("true", checks.mutating().getMetadata().getAnnotations().get("service.beta.openshift.io/inject-cabundle"));
        PodSpec ds = checks.daemonSet().getSpec().getTemplate().getSpec();
        List<Container> installers = new ArrayList<>(ds.getInitContainers());
        installers.addAll(ds.getContainers());
        for (Container c : installers) {
            assertTrue(c.getSecurityContext().getPrivileged(), c.getName() + " privileged for the SELinux hostPath write");
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), "the base's settings are kept");
            assertEquals("install-cni", c.getArgs().getFirst());
        }
        PodSpec webhook = checks.deployment().getSpec().getTemplate().getSpec();
        assertNull(webhook.getSecurityContext().getRunAsUser(), "restricted-v2 assigns the UID");
        assertFalse(Boolean.TRUE.equals(BundleChecks.container(webhook, "webhook").getSecurityContext().getPrivileged()));
        Manifests.one(checks.docs, "ClusterRole", "netattach-cni-privileged-scc");
    }

    @Test
    void noMatchConditionsComponentOnTheBaseRemovesEveryConditionAndScopesByLabels() throws Exception {
        requireKubectl();
        Path old = Files.createDirectories(deploy.resolve("overlays/old-api-server"));
        Files.writeString(old.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - ../../base
                components:
                  - ../../components/no-match-conditions
                """);
        BundleChecks checks = checkAll("overlays/old-api-server", "/opt/cni/bin", true);
        // only the scoping changed: the same webhooks, policies, rules, paths and timeouts
        BundleChecks base = new BundleChecks("base", render("base"));
        assertEquals(base.validating().getWebhooks().size(), checks.validating().getWebhooks().size());
        for (int i = 0; i < base.validating().getWebhooks().size(); i++) {
            var a = base.validating().getWebhooks().get(i);
            var b = checks.validating().getWebhooks().get(i);
            assertEquals(a.getFailurePolicy(), b.getFailurePolicy(), a.getName());
            assertEquals(a.getRules(), b.getRules(), a.getName());
            assertEquals(a.getClientConfig(), b.getClientConfig(), a.getName());
        }
        assertEquals(base.validating().getWebhooks().getFirst(), checks.validating().getWebhooks().getFirst(),
                "the NAD webhook is not touched");
    }

    @Test
    void anOverlayCanOverrideTheImage() throws Exception {
        requireKubectl();
        Path custom = Files.createDirectories(deploy.resolve("overlays/custom-image"));
        Files.writeString(custom.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                bases:
                  - ../cert-manager
                images:
                  - name: quay.io/netattach/netattach
                    newName: registry.example.com/netattach
                    newTag: 9.9.9
                """);
        BundleChecks checks = new BundleChecks("custom-image", render("overlays/custom-image"));
        List<String> images = new ArrayList<>();
        checks.deployment().getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage()));
        checks.daemonSet().getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage()));
        checks.daemonSet().getSpec().getTemplate().getSpec().getInitContainers().forEach(c -> images.add(c.getImage()));
        assertEquals(List.of("registry.example.com/netattach:9.9.9", "registry.example.com/netattach:9.9.9",
                "registry.example.com/netattach:9.9.9"), images);
    }

    private static String decode(String b64) {
        return new String(Base64.getMimeDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
