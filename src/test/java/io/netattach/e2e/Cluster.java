package io.netattach.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One real control plane for the whole end-to-end suite (started on first use, stopped when the test
 * JVM exits): etcd + kube-apiserver through {@code io.fabric8:kube-api-test}, kube-controller-manager
 * beside it, the NAD CRD of {@code deploy/crds}, the namespace and RBAC of the rendered bundle, and the
 * packaged webhook ({@code target/quarkus-app/quarkus-run.jar}) running with a token of the
 * {@code netattach-webhook} ServiceAccount, registered through the rendered webhook configurations.
 *
 * <p>Binaries: {@code ../shared/k8s} (gunzipped into {@code $KUBE_API_TEST_DIR/k8s/1.26.4-linux-amd64},
 * etcd from Debian behind a loopback wrapper) or, without it, kube-api-test's own download. Where neither
 * works every test is skipped with the reason printed.
 */
final class Cluster {

    static final String K8S_VERSION = "1.26.4";
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path WORK = ROOT.resolve("target/e2e");
    /** An explicit kustomize directory whose webhooks and RBAC are tested (-Dnetattach.e2e.kustomize=DIR), or null. */
    static final String KUSTOMIZE_PROPERTY = System.getProperty("netattach.e2e.kustomize");
    /**
     * The namespace label a user of the component no-match-conditions sets on every namespace whose pods
     * use secondary networks (pods.validate and workloads-annotated.validate only see those namespaces).
     * Scenarios that expect pod validation set it; under deploy/base it changes nothing.
     */
    static final Map<String, String> VALIDATION_ENABLED = Map.of("netattach.io/validation", "enabled");
    /** The component a user of an API server older than 1.28 adds to deploy/base (docs/deploy.md). */
    static final Path NO_MATCH_CONDITIONS = ROOT.resolve("deploy/components/no-match-conditions");
    /**
     * External mode: an admin kubeconfig of an existing cluster (-Dnetattach.e2e.kubeconfig=PATH or the
     * environment variable NETATTACH_E2E_KUBECONFIG), or null: the suite then starts its own control plane.
     */
    static final String EXTERNAL_KUBECONFIG = blankToNull(System.getProperty("netattach.e2e.kubeconfig",
            System.getenv("NETATTACH_E2E_KUBECONFIG")));
    /**
     * The address the API server reaches the locally running webhook at (-Dnetattach.e2e.webhook-host=IP_OR_DNS,
     * default 127.0.0.1): used in the webhook configurations' URL and in the webhook certificate's SAN.
     */
    static final String WEBHOOK_HOST = System.getProperty("netattach.e2e.webhook-host", "127.0.0.1");
    /** The label every namespace the suite creates on an external cluster carries, value the run id. */
    static final String RUN_LABEL = "netattach.io/e2e-run";

    private static Cluster instance;

    /**
     * The cluster for a benchmark's {@code main}: where it cannot run here, prints
     * "bench: SKIPPED: ..." with the reason and exits 2.
     */
    static Cluster forBench() {
        try {
            return get();
        } catch (RuntimeException e) {
            System.out.println("bench: SKIPPED: the cluster cannot run here: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }
    private static String unavailable;

    final Path testDir;
    final Path sharedK8s;
    final KubeAPIServer apiServer;
    /** Null with the suite's own control plane; on an external cluster the suffix of everything this run creates. */
    final String runId;
    final Path adminKubeconfig;
    final Config adminConfig;
    final KubernetesClient admin;
    final String apiUrl;
    final int serverMinor;
    final RenderedBundle bundle;
    /** The kustomize directory actually rendered (see {@link #kustomizeDir}). */
    final Path kustomize;
    final Path certs;
    final String caBundle;
    final Webhook webhook;
    Process controllerManager;
    String controllerManagerUnavailable;
    /** External mode: the namespace of the enforcement probe (default: {@code default}). */
    final String probeNamespace;
    /** External mode: what this run created and deletes at the end (namespaces; the NAD CRD where it was absent). */
    final java.util.Set<String> createdNamespaces = new java.util.LinkedHashSet<>();
    boolean createdCrd;

    /** The shared cluster; aborts the calling test (printing why) where it cannot run. */
    static synchronized Cluster get() {
        if (instance == null && unavailable == null) {
            try {
                instance = new Cluster();
                Runtime.getRuntime().addShutdownHook(new Thread(instance::stop));
            } catch (Skip s) {
                unavailable = s.getMessage();
            }
        }
        if (instance == null) {
            System.out.println("e2e: SKIPPED: " + unavailable);
            Assumptions.abort(unavailable);
        }
        return instance;
    }

    /** Why the cluster cannot run here (binaries, tools): the suite is skipped, loudly. */
    static final class Skip extends RuntimeException {
        Skip(String reason) {
            super(reason);
        }
    }

    private Cluster() {
        long t0 = System.nanoTime();
        String dir = System.getenv("KUBE_API_TEST_DIR");
        testDir = dir != null ? Path.of(dir) : ROOT.resolve("target/k8s");
        sharedK8s = ROOT.resolve("../shared/k8s").normalize();
        runId = EXTERNAL_KUBECONFIG == null ? null
                : "r" + java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt()).substring(0, 6);
        try {
            Files.createDirectories(WORK);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isRegularFile(ROOT.resolve("target/quarkus-app/quarkus-run.jar"))) {
            throw new Skip("target/quarkus-app/quarkus-run.jar is missing: run the suite through ./mvnw verify");
        }
        if (Exec.run("kubectl", "version", "--client").code() != 0) {
            throw new Skip("kubectl not found (Debian: apt-get install kubernetes-client)");
        }
        boolean offline = false;
        String kubeconfig;
        if (runId != null) {
            apiServer = null;
            adminKubeconfig = Path.of(EXTERNAL_KUBECONFIG).toAbsolutePath();
            if (!Files.isReadable(adminKubeconfig)) {
                throw new IllegalStateException("the kubeconfig of -Dnetattach.e2e.kubeconfig / NETATTACH_E2E_KUBECONFIG is "
                        + "not readable: " + adminKubeconfig);
            }
            kubeconfig = null;
        } else {
            offline = layOutSharedBinaries();
            createCertificates();
            if (dir == null && offline) {
                throw new Skip("KUBE_API_TEST_DIR is not set (the failsafe configuration of pom.xml sets it)");
            }
            var config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withUpdateKubeConfig(false)
                    .withApiServerFlag("--bind-address", "127.0.0.1")
                    .withApiServerFlag("--advertise-address", "127.0.0.1")
                    .withApiServerFlag("--endpoint-reconciler-type", "none");
            if (offline) {
                config.withOfflineMode(true).withApiServerVersion(K8S_VERSION);
            }
            apiServer = new KubeAPIServer(config.build());
            try {
                apiServer.start();
            } catch (RuntimeException e) {
                try {
                    apiServer.stop();
                } catch (RuntimeException ignored) {
                    // nothing more to stop
                }
                throw new Skip("the API server did not start (" + (offline ? "binaries of " + sharedK8s
                        : "kube-api-test download") + "): " + e);
            }
            kubeconfig = apiServer.getKubeConfigYaml();
            adminKubeconfig = WORK.resolve("admin.kubeconfig");
        }
        try {
            if (kubeconfig != null) {
                write(adminKubeconfig, kubeconfig);
            }
            adminConfig = kubeconfig != null ? Config.fromKubeconfig(kubeconfig) : Config.fromKubeconfig(adminKubeconfig.toFile());
            adminConfig.setRequestRetryBackoffLimit(0);
            admin = new KubernetesClientBuilder().withConfig(adminConfig).build();
            apiUrl = adminConfig.getMasterUrl().replaceAll("/$", "");
            serverMinor = Integer.parseInt(admin.getKubernetesVersion().getMinor().replaceAll("\\D", ""));
            System.out.printf("e2e: API server %s at %s ready in %d ms (%s)%n", admin.getKubernetesVersion().getGitVersion(),
                    apiUrl, (System.nanoTime() - t0) / 1_000_000, runId != null ? "external cluster of " + adminKubeconfig
                            + ", run id " + runId : offline ? "binaries from " + sharedK8s : "downloaded");

            if (runId == null) {
                startControllerManager();
                kubectlOk(null, "apply", "-f", ROOT.resolve("deploy/crds").toString());
                probeNamespace = "default";
            } else {
                System.out.println("e2e: external cluster: its own controllers are used; everything this run creates is "
                        + "named with the suffix -" + runId + " (namespaces labelled " + RUN_LABEL + "=" + runId
                        + ") and deleted at the end");
                if (kubectl(null, "get", "crd", "network-attachment-definitions.k8s.cni.cncf.io").ok()) {
                    System.out.println("e2e: external cluster: using its NetworkAttachmentDefinition CRD");
                } else {
                    kubectlOk(null, "create", "-f", ROOT.resolve("deploy/crds").toString());
                    createdCrd = true;
                    System.out.println("e2e: external cluster: NetworkAttachmentDefinition CRD absent: created from deploy/crds "
                            + "(deleted at the end)");
                }
                probeNamespace = ns("e2e-probe");
                namespace(probeNamespace, Map.of());
            }
            kubectlOk(null, "wait", "--for=condition=Established", "--timeout=60s",
                    "crd/network-attachment-definitions.k8s.cni.cncf.io");

            kustomize = kustomizeDir(serverMinor);
            Exec rendered = Exec.run("kubectl", "kustomize", kustomize.toString());
            if (!rendered.ok()) {
                throw new IllegalStateException("kubectl kustomize failed:\n" + rendered.output());
            }
            RenderedBundle shipped = RenderedBundle.parse(rendered.out());
            bundle = runId == null ? shipped : shipped.forRun(runId, RUN_LABEL);
            if (runId != null) {
                System.out.println("e2e: external cluster: bundle objects renamed for the run, webhooks narrowed to namespaces "
                        + "labelled " + RUN_LABEL + "=" + runId + ": " + bundle.ofKinds(RenderedBundle.RBAC_KINDS).stream()
                        .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).toList()
                        + " " + bundle.webhookConfigurationRefs());
            }
            kubectlOk(bundle.rbacList(), "apply", "-f", "-");

            certs = WORK.resolve("certs");
            List<String> generate = new ArrayList<>(List.of("bash", "certs/generate.sh", "--out", certs.toString(),
                    "--new-ca", "--san", "IP:127.0.0.1", "--san", "DNS:localhost"));
            if (!WEBHOOK_HOST.equals("127.0.0.1") && !WEBHOOK_HOST.equals("localhost")) {
                generate.addAll(List.of("--san", (WEBHOOK_HOST.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + WEBHOOK_HOST));
            }
            Exec gen = Exec.run(ROOT, Map.of(), null, generate);
            if (!gen.ok()) {
                throw new IllegalStateException("certs/generate.sh failed:\n" + gen.output());
            }
            caBundle = Files.readString(certs.resolve("ca-bundle.b64")).strip();

            Path webhookKubeconfig = write(WORK.resolve("webhook.kubeconfig"), serviceAccountKubeconfig(
                    ns("netattach-system"), "netattach-webhook"));
            webhook = new Webhook(this, webhookKubeconfig);
            webhook.start();
            register();
            System.out.printf("e2e: cluster with webhook registered in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | IOException e) {
            stop();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    /** True on a cluster reached through -Dnetattach.e2e.kubeconfig (not started by the suite). */
    boolean external() {
        return runId != null;
    }

    /**
     * The name this run uses for a namespace of the scenarios (or of the bundle): the name itself with the
     * suite's own control plane, {@code NAME-RUN} on an external cluster.
     */
    String ns(String name) {
        return runId == null ? name : name + "-" + runId;
    }

    /**
     * Aborts the calling test on an external cluster, printing why: for scenarios that need the suite's own
     * control plane or this machine's network namespaces.
     */
    void requireOwnControlPlane(String scenario, String why) {
        if (runId != null) {
            String reason = scenario + " needs " + why + ": not possible on an external cluster";
            System.out.println("e2e: SKIPPED (external cluster): " + reason);
            Assumptions.abort(reason);
        }
    }

    /**
     * kubectl apply of example manifests. On an external cluster their namespaces are the run's: Namespace
     * objects are renamed and labelled with the run id, namespaced objects moved into the renamed namespace.
     */
    Exec applyExamples(String... files) {
        if (runId == null) {
            List<String> args = new ArrayList<>(List.of("apply"));
            for (String f : files) {
                args.addAll(List.of("-f", f));
            }
            return kubectl(null, args.toArray(String[]::new));
        }
        List<ObjectNode> objects = new ArrayList<>();
        try {
            for (String f : files) {
                for (ObjectNode o : RenderedBundle.parse(Files.readString(ROOT.resolve(f))).objects()) {
                    ObjectNode meta = (ObjectNode) o.path("metadata");
                    if (o.path("kind").asText().equals("Namespace")) {
                        String name = ns(meta.path("name").asText());
                        meta.put("name", name);
                        (meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels")).put(RUN_LABEL, runId);
                        synchronized (this) {
                            createdNamespaces.add(name);
                        }
                    } else if (meta.has("namespace")) {
                        meta.put("namespace", ns(meta.path("namespace").asText()));
                    }
                    objects.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kubectl(RenderedBundle.list(objects), "apply", "-f", "-");
    }

    /** The base URL the API server calls the webhook at. */
    String webhookUrl() {
        return "https://" + (WEBHOOK_HOST.contains(":") ? "[" + WEBHOOK_HOST + "]" : WEBHOOK_HOST) + ":" + webhook.port;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * Puts kube-apiserver, the etcd wrapper and kubectl where kube-api-test looks in offline mode, and
     * kube-controller-manager and multus into {@code bin/}. Returns false where ../shared/k8s is absent
     * (kube-api-test then downloads its own binaries).
     */
    private boolean layOutSharedBinaries() {
        if (!Files.isRegularFile(sharedK8s.resolve("kube-apiserver.gz"))) {
            System.out.println("e2e: " + sharedK8s + " not found: kube-api-test downloads its binaries");
            return false;
        }
        if (!Files.isExecutable(Path.of("/usr/bin/etcd"))) {
            throw new Skip("/usr/bin/etcd not found (Debian: apt-get install etcd-server; .ci/run installs it)");
        }
        try {
            Path k8s = testDir.resolve("k8s").resolve(K8S_VERSION + "-linux-amd64");
            Files.createDirectories(k8s);
            gunzip(sharedK8s.resolve("kube-apiserver.gz"), k8s.resolve("kube-apiserver.real"));
            Path wrapper = k8s.resolve("kube-apiserver");
            if (!isScript(wrapper)) {
                Files.deleteIfExists(wrapper);
                write(wrapper, APISERVER_WRAPPER);
                Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path etcd = k8s.resolve("etcd");
            if (!Files.exists(etcd)) {
                write(etcd, """
                        #!/usr/bin/env bash
                        # kube-api-test starts etcd on 0.0.0.0 without authentication: keep it on loopback.
                        exec /usr/bin/etcd "${@//http:\\/\\/0.0.0.0:/http://127.0.0.1:}"
                        """);
                Files.setPosixFilePermissions(etcd, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path kubectl = k8s.resolve("kubectl");
            if (!Files.exists(kubectl, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                String which = Exec.run("sh", "-c", "command -v kubectl").out().strip();
                Files.createSymbolicLink(kubectl, Path.of(which));
            }
            Path bin = testDir.resolve("bin");
            Files.createDirectories(bin);
            gunzip(sharedK8s.resolve("kube-controller-manager.gz"), bin.resolve("kube-controller-manager"));
            gunzip(sharedK8s.resolve("multus.gz"), bin.resolve("multus"));
            return true;
        } catch (IOException e) {
            throw new Skip("cannot lay out the binaries of " + sharedK8s + " in " + testDir + ": " + e);
        }
    }

    /**
     * The API server's serving certificate and the client CA, written before kube-api-test would write its
     * own (it keeps files that exist): its client certificate is self-signed without CA basic constraints,
     * so it cannot sign the controller-manager's certificate. Ours is a CA (O=system:masters,
     * CN=kubeapitest) that also serves as the admin's client certificate, as kube-api-test's does.
     */
    private void createCertificates() {
        Path marker = testDir.resolve("certificates-by-netattach-e2e");
        if (Files.exists(marker)) {
            return;
        }
        String dir = testDir.toString();
        List<List<String>> steps = List.of(
                List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                        "-keyout", dir + "/apiserver.key", "-out", dir + "/apiserver.crt", "-subj", "/CN=kube-apiserver",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,"
                                + "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"),
                List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                        "-keyout", dir + "/client.key", "-out", dir + "/client.crt",
                        "-subj", "/O=system:masters/CN=kubeapitest",
                        "-addext", "basicConstraints=critical,CA:TRUE",
                        "-addext", "keyUsage=critical,keyCertSign,digitalSignature,keyEncipherment"));
        try {
            Files.createDirectories(testDir);
            for (List<String> step : steps) {
                Exec e = Exec.run(ROOT, Map.of(), null, step);
                if (!e.ok()) {
                    throw new Skip("openssl could not create the API server's certificates: " + e.output());
                }
            }
            Files.writeString(marker, "apiserver.* and client.* were written by io.netattach.e2e.Cluster\n");
        } catch (IOException e) {
            throw new Skip("cannot write certificates into " + testDir + ": " + e);
        }
    }

    /**
     * kube-apiserver as kube-api-test starts it: the real binary under this script, which restarts it
     * with the same flags (same port, same etcd) on SIGUSR1 for the restart scenario. kube-api-test
     * stops it with SIGKILL: the binary dies with the script (parent-death signal).
     */
    static final String APISERVER_WRAPPER = """
            #!/usr/bin/env bash
            # kube-apiserver for the netattach end-to-end suite (written by io.netattach.e2e.Cluster): runs
            # the real binary and restarts it with the same flags on SIGUSR1 (API server restart scenario).
            here="$(dirname "$0")"
            echo $$ > "$here/kube-apiserver.pid"
            restart=0
            trap 'restart=1; kill -KILL "$child" 2>/dev/null' USR1
            trap 'kill -TERM "$child" 2>/dev/null; exit 143' TERM INT
            while :; do
              setpriv --pdeathsig KILL -- "$here/kube-apiserver.real" "$@" &
              child=$!
              rc=0
              while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
              if [ "$restart" = 1 ]; then
                restart=0
                echo "e2e: kube-apiserver restarted (SIGUSR1)" >&2
                continue
              fi
              exit "$rc"
            done
            """;

    /** Kills the API server and starts it again with the same flags; returns false where it cannot. */
    boolean restartApiServer() throws IOException {
        if (runId != null) {
            return false;
        }
        Path pid = testDir.resolve("k8s").resolve(K8S_VERSION + "-linux-amd64").resolve("kube-apiserver.pid");
        if (!Files.exists(pid)) {
            return false;
        }
        return Exec.run("kill", "-USR1", Files.readString(pid).strip()).ok();
    }

    private static boolean isScript(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == '#' && head[1] == '!';
        }
    }

    private static void gunzip(Path gz, Path target) throws IOException {
        if (!Files.isRegularFile(gz) || Files.exists(target)) {
            return;
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz)); OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(tmp, target);
    }

    /** kube-controller-manager with a client certificate for system:kube-controller-manager. */
    private void startControllerManager() throws IOException {
        Path binary = testDir.resolve("bin/kube-controller-manager");
        if (!Files.isExecutable(binary)) {
            controllerManagerUnavailable = "no kube-controller-manager binary (" + binary + ")";
            System.out.println("e2e: " + controllerManagerUnavailable + ": scenarios that need controllers are skipped");
            return;
        }
        Path dir = WORK.resolve("kcm");
        Files.createDirectories(dir);
        Path clientCa = testDir.resolve("client.crt");
        Path clientCaKey = testDir.resolve("client.key");
        Path key = dir.resolve("kcm.key");
        Path csr = dir.resolve("kcm.csr");
        Path crt = dir.resolve("kcm.crt");
        for (List<String> cmd : List.of(
                List.of("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString()),
                List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=system:kube-controller-manager",
                        "-out", csr.toString()),
                List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", clientCa.toString(), "-CAkey",
                        clientCaKey.toString(), "-CAcreateserial", "-days", "2", "-out", crt.toString()))) {
            Exec e = Exec.run(ROOT, Map.of(), null, cmd);
            if (!e.ok()) {
                throw new IllegalStateException("controller-manager certificate: " + e.output());
            }
        }
        Path kubeconfig = write(dir.resolve("kcm.kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: kcm
                  user:
                    client-certificate: %s
                    client-key: %s
                contexts:
                - name: kcm
                  context: {cluster: e2e, user: kcm}
                current-context: kcm
                """.formatted(apiUrl, testDir.resolve("apiserver.crt"), crt, key));
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "--kubeconfig", kubeconfig.toString(),
                "--authentication-kubeconfig", kubeconfig.toString(),
                "--authorization-kubeconfig", kubeconfig.toString(),
                "--bind-address", "127.0.0.1", "--secure-port", String.valueOf(port),
                "--leader-elect=false", "--use-service-account-credentials=true",
                "--service-account-private-key-file", testDir.resolve("apiserver.key").toString(),
                "--root-ca-file", testDir.resolve("apiserver.crt").toString(),
                "--cluster-signing-cert-file", clientCa.toString(),
                "--cluster-signing-key-file", clientCaKey.toString(),
                "--service-cluster-ip-range", "10.0.0.0/24"));
        File log = WORK.resolve("kube-controller-manager.log").toFile();
        controllerManager = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(controllerManager == null ? ProcessBuilder.Redirect.to(log) : ProcessBuilder.Redirect.appendTo(log))
                .start();
        HttpClient insecure = insecureClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!controllerManager.isAlive()) {
                throw new IllegalStateException("kube-controller-manager exited " + controllerManager.exitValue()
                        + ", see " + WORK.resolve("kube-controller-manager.log"));
            }
            try {
                var r = insecure.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().strip().equals("ok")) {
                    System.out.println("e2e: kube-controller-manager healthy on 127.0.0.1:" + port);
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new IllegalStateException("kube-controller-manager not healthy within 60 s");
    }

    /** A kubeconfig for a ServiceAccount, with a token from the TokenRequest API. */
    String serviceAccountKubeconfig(String namespace, String name) {
        String token = admin.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(7200L).endSpec().build()).getStatus().getToken();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: %s
                    %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: sa
                  context: {cluster: e2e, user: %s}
                current-context: sa
                """.formatted(apiUrl, clusterCa(), name, token, name);
    }

    /** How a kubeconfig of this cluster trusts the API server: the admin kubeconfig's CA. */
    private String clusterCa() {
        if (runId == null) {
            return "certificate-authority: " + testDir.resolve("apiserver.crt");
        }
        if (adminConfig.getCaCertData() != null) {
            return "certificate-authority-data: " + adminConfig.getCaCertData();
        }
        if (adminConfig.getCaCertFile() != null) {
            return "certificate-authority: " + Path.of(adminConfig.getCaCertFile()).toAbsolutePath();
        }
        return "insecure-skip-tls-verify: " + adminConfig.isTrustCerts();
    }

    /**
     * The kustomize directory to render: the explicit -Dnetattach.e2e.kustomize=DIR if given; else, on an
     * API server from 1.28, deploy/base; else what a user of an older server deploys, deploy/base plus the
     * component deploy/components/no-match-conditions, through a generated kustomization in
     * target/e2e-kustomize. Prints which bundle is tested.
     */
    static Path kustomizeDir(int serverMinor) throws IOException {
        if (KUSTOMIZE_PROPERTY != null) {
            Path dir = ROOT.resolve(KUSTOMIZE_PROPERTY);
            System.out.println("e2e: testing bundle " + ROOT.relativize(dir) + " (-Dnetattach.e2e.kustomize)");
            return dir;
        }
        Path base = ROOT.resolve("deploy/base");
        if (serverMinor >= 28) {
            System.out.println("e2e: testing bundle deploy/base (API server 1." + serverMinor + ")");
            return base;
        }
        Path dir = ROOT.resolve("target/e2e-kustomize");
        Files.createDirectories(dir);
        write(dir.resolve("kustomization.yaml"), """
                # Generated by the e2e suite (Cluster.kustomizeDir): what a user of an API server older than
                # 1.28 deploys, deploy/base plus the component no-match-conditions (docs/deploy.md).
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                  - %s
                """.formatted(dir.relativize(base), dir.relativize(NO_MATCH_CONDITIONS)));
        System.out.println("e2e: testing bundle deploy/base + component deploy/components/no-match-conditions"
                + " (API server 1." + serverMinor + " < 1.28; generated " + ROOT.relativize(dir.resolve("kustomization.yaml")) + ")");
        return dir;
    }

    /** Applies the rendered webhook configurations pointing at the running webhook. */
    void register() {
        List<ObjectNode> configs = bundle.webhookConfigurations(webhookUrl(), caBundle, serverMinor, System.out);
        if (configs.isEmpty()) {
            throw new IllegalStateException(kustomize + " renders no webhook configuration");
        }
        kubectlOk(RenderedBundle.list(configs), "apply", "-f", "-");
        awaitEnforced(true);
    }

    /**
     * Waits until the API server enforces (or no longer enforces) the NAD webhook: its configuration
     * informer picks up a change within about a second. Probe: a server-side dry-run of a NAD whose type
     * is a path traversal, in {@code default}.
     */
    void awaitEnforced(boolean enforced) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Exec probe = kubectl(Nads.manifest(probeNamespace, "e2e-probe", "{\"cniVersion\":\"1.0.0\",\"name\":\"p\",\"type\":\"../x\"}"),
                    "create", "--dry-run=server", "-f", "-");
            last = probe.err().strip();
            // denied by the webhook itself: a failed call ("failed calling webhook ...") is not enforcement
            boolean denied = last.contains("admission webhook \"nads.validate.netattach.io\" denied the request");
            if (denied == enforced) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the NAD webhook is " + (enforced ? "still not" : "still") + " enforced after 30 s; "
                + "last probe: " + last + (enforced && last.contains("failed calling webhook") ? " (the API server cannot "
                + "reach the webhook at " + webhookUrl() + ": see -Dnetattach.e2e.webhook-host)" : ""));
    }

    /** Deletes the webhook configurations of the bundle, by name (never others'). */
    void unregister() {
        List<String> args = new ArrayList<>(List.of("delete", "--ignore-not-found"));
        args.addAll(bundle.webhookConfigurationRefs());
        kubectlOk(null, args.toArray(String[]::new));
    }

    /**
     * Waits until a pod naming NAD {@code namespace/name} is admitted ({@code present}) or refused
     * (not present) by the pod webhooks, i.e. until the webhook's catalog reflects the NAD; probes by
     * server-side dry-run, so nothing is stored. Returns the milliseconds it took.
     */
    long awaitPodAdmission(String namespace, String name, boolean present) {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(30).toNanos();
        String last = "";
        var probe = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("e2e-catalog-probe")
                .withNamespace(namespace).withLabels(Map.of("netattach.io/inject", "disabled"))
                .withAnnotations(Map.of("k8s.v1.cni.cncf.io/networks", name + "@net9")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build();
        while (System.nanoTime() < deadline) {
            boolean admitted;
            try {
                admin.pods().inNamespace(namespace).resource(probe).dryRun().create();
                admitted = true;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                last = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
                admitted = false;
            }
            if (admitted == present) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            sleep(5);
        }
        throw new IllegalStateException("a pod naming " + namespace + "/" + name + " is still "
                + (present ? "refused" : "admitted") + " after 30 s: " + last);
    }

    void awaitPodGone(String namespace, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (admin.pods().inNamespace(namespace).withName(name).get() != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pod " + namespace + "/" + name + " still there after 60 s");
            }
            sleep(200);
        }
    }

    /**
     * Creates (or keeps) a namespace with these labels; on an external cluster also labelled with the run id
     * and deleted at the end (pass names through {@link #ns}).
     */
    void namespace(String name, Map<String, String> labels) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        if (runId != null) {
            all.put(RUN_LABEL, runId);
            synchronized (this) {
                createdNamespaces.add(name);
            }
        }
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(name).withLabels(all).endMetadata().build()).serverSideApply();
    }

    /** kubectl as cluster admin. */
    Exec kubectl(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", adminKubeconfig.toString()));
        cmd.addAll(List.of(args));
        return Exec.run(ROOT, Map.of(), stdin, cmd);
    }

    Exec kubectlOk(String stdin, String... args) {
        Exec e = kubectl(stdin, args);
        if (!e.ok()) {
            throw new IllegalStateException(e.output());
        }
        return e;
    }

    /** A client trusting the webhook's CA (for its health endpoints). */
    HttpClient webhookClient() {
        try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For the controller-manager's health endpoint only (its serving certificate is self-signed). */
    static HttpClient insecureClient() {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Skips where no controller-manager runs; restarts ours where it exited, as the kubelet restarts a
     * static pod: kube-controller-manager exits (klog.Fatal) when the API server goes away while it
     * creates its controllers' service accounts, which the API server restart scenario can cause.
     */
    synchronized void requireControllerManager() {
        if (controllerManager == null && runId == null) {
            System.out.println("e2e: SKIPPED (needs kube-controller-manager): " + controllerManagerUnavailable);
            Assumptions.abort(controllerManagerUnavailable);
        }
        if (controllerManager != null && !controllerManager.isAlive()) {
            String last;
            try (var lines = Files.lines(WORK.resolve("kube-controller-manager.log"))) {
                last = lines.filter(l -> l.startsWith("F") || l.startsWith("E")).reduce((a, b) -> b).orElse("");
            } catch (IOException e) {
                last = e.toString();
            }
            System.out.println("e2e: kube-controller-manager exited " + controllerManager.exitValue()
                    + " (last error: " + last + "); restarting it");
            try {
                startControllerManager();
            } catch (IOException e) {
                throw new IllegalStateException("restarting kube-controller-manager", e);
            }
        }
    }

    /** Stops the shared cluster now if it is an external one (see {@link ExternalClusterCleanup}). */
    static synchronized void stopExternal() {
        if (instance != null && instance.external()) {
            instance.stop();
        }
    }

    private boolean stopped;

    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (webhook != null) {
            webhook.stop();
        }
        if (controllerManager != null) {
            controllerManager.destroy();
            try {
                controllerManager.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (runId != null) {
            cleanUpExternal();
        }
        if (admin != null) {
            admin.close();
        }
        if (apiServer != null) {
            try {
                apiServer.stop();
            } catch (RuntimeException e) {
                System.out.println("e2e: stopping the API server: " + e);
            }
        }
    }

    /**
     * External cluster: deletes what this run created, by name (webhook configurations, the renamed RBAC and
     * namespace of the bundle, the scenarios' namespaces, the NAD CRD where the run created it), whatever the
     * outcome of the tests; each step is attempted and reported.
     */
    private void cleanUpExternal() {
        List<String> done = new ArrayList<>();
        if (admin == null) {
            return;
        }
        if (bundle != null) {
            List<String> webhooks = new ArrayList<>(List.of("delete", "--ignore-not-found"));
            webhooks.addAll(bundle.webhookConfigurationRefs());
            report(done, kubectl(null, webhooks.toArray(String[]::new)));
            report(done, kubectl(bundle.rbacList(), "delete", "--ignore-not-found", "--wait=false", "-f", "-"));
        }
        List<String> namespaces;
        synchronized (this) {
            namespaces = new ArrayList<>(createdNamespaces);
        }
        if (!namespaces.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("delete", "namespace", "--ignore-not-found", "--wait=false"));
            args.addAll(namespaces);
            report(done, kubectl(null, args.toArray(String[]::new)));
        }
        if (createdCrd) {
            report(done, kubectl(null, "delete", "--ignore-not-found", "--wait=false", "-f", ROOT.resolve("deploy/crds").toString()));
        }
        System.out.println("e2e: external cluster: cleaned up run " + runId + ": " + String.join("; ", done));
    }

    private static void report(List<String> done, Exec e) {
        done.add(e.ok() ? e.out().strip().replaceAll("\\s*\n\\s*", ", ") : "FAILED " + e.output().strip());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
