package io.netattach.deploy;

import io.netattach.deploy.Manifests.Doc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** certs/generate.sh: an ECDSA P-256 CA and serving certificate with the Service's names, written only into the out dir. */
class CertsGenerateTest {

    private static final Path SCRIPT = Manifests.ROOT.resolve("certs/generate.sh");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsOpenssl() {
        assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                        .anyMatch(d -> Files.isExecutable(Path.of(d, "openssl"))),
                "skipped: openssl not found (Debian: apt-get install openssl)");
    }

    record Run(int exit, String out, String err) {
    }

    private Run generate(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Path scratch = Files.createDirectories(cwd.resolve("scratch-tmpdir"));
        pb.environment().put("TMPDIR", scratch.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("generate.sh timed out");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "openssl " + String.join(" ", args) + ": " + text);
        return text;
    }

    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + ":" + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }

    @Test
    void createsAnEcdsaP256CaAndServingCertificateForTheServiceNames() throws Exception {
        Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
        Path out = sandbox.resolve("out");
        Map<String, String> repoCerts = snapshot(Manifests.ROOT.resolve("certs"));

        Run r = generate(sandbox, "--out", out.toString(), "--days", "30", "--san", "DNS:localhost", "--san", "IP:127.0.0.1");

        assertEquals(0, r.exit(), r.err());
        // stdout is the caBundle line and nothing else
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.getFirst().startsWith("caBundle: "));
        String bundle = lines.getFirst().substring("caBundle: ".length());
        assertEquals(Files.readString(out.resolve("ca.crt")), new String(Base64.getDecoder().decode(bundle), StandardCharsets.US_ASCII));
        assertEquals(bundle + "\n", Files.readString(out.resolve("ca-bundle.b64")));

        String serving = openssl("x509", "-in", out.resolve("tls.crt").toString(), "-noout", "-text");
        assertTrue(serving.contains("Public Key Algorithm: id-ecPublicKey"), serving);
        assertTrue(serving.contains("ASN1 OID: prime256v1"), serving);
        assertTrue(serving.contains("Signature Algorithm: ecdsa-with-SHA256"), serving);
        assertTrue(serving.contains("DNS:netattach-webhook.netattach-system.svc,"), serving);
        assertTrue(serving.contains("DNS:netattach-webhook.netattach-system.svc.cluster.local"), serving);
        assertTrue(serving.contains("DNS:localhost") && serving.contains("IP Address:127.0.0.1"), serving);
        assertTrue(serving.contains("TLS Web Server Authentication"), serving);
        assertTrue(serving.contains("CA:FALSE"), serving);
        String ca = openssl("x509", "-in", out.resolve("ca.crt").toString(), "-noout", "-text");
        assertTrue(ca.contains("CA:TRUE") && ca.contains("ASN1 OID: prime256v1"), ca);
        assertTrue(openssl("verify", "-CAfile", out.resolve("ca.crt").toString(), out.resolve("tls.crt").toString()).contains(": OK"));
        // validity as asked: still valid in 29 days, expired in 31
        openssl("x509", "-in", out.resolve("tls.crt").toString(), "-noout", "-checkend", Long.toString(29L * 86400));
        Process expired = new ProcessBuilder("openssl", "x509", "-in", out.resolve("tls.crt").toString(), "-noout",
                "-checkend", Long.toString(31L * 86400)).redirectErrorStream(true).start();
        expired.getInputStream().readAllBytes();
        assertEquals(1, expired.waitFor());
        // the key belongs to the certificate
        assertEquals(openssl("x509", "-in", out.resolve("tls.crt").toString(), "-noout", "-pubkey"),
                openssl("pkey", "-in", out.resolve("tls.key").toString(), "-pubout"));

        // Java reads it the same way
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(out.resolve("tls.crt"))));
        assertTrue(cert.getPublicKey() instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256);
        List<String> sans = cert.getSubjectAlternativeNames().stream().map(l -> l.get(1).toString()).toList();
        assertTrue(sans.containsAll(List.of("netattach-webhook.netattach-system.svc",
                "netattach-webhook.netattach-system.svc.cluster.local", "localhost", "127.0.0.1")), sans.toString());

        // private keys are private; the files written are exactly these
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("tls.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("ca.key"))));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("ca-bundle.b64", "ca.crt", "ca.key", "cabundle-mutating.yaml", "cabundle-validating.yaml",
                    "tls.crt", "tls.key"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // nothing written outside the out dir: not in the working directory, not in TMPDIR, not in the repository's certs/
        try (Stream<Path> s = Files.list(sandbox)) {
            assertEquals(List.of("out", "scratch-tmpdir"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> s = Files.list(sandbox.resolve("scratch-tmpdir"))) {
            assertEquals(0, s.count());
        }
        assertEquals(repoCerts, snapshot(Manifests.ROOT.resolve("certs")));
    }

    @Test
    void keepsTheCaOnReRunsSoTheCaBundleStaysTheSameUnlessANewOneIsAsked() throws Exception {
        Path out = tmp.resolve("out");
        Run first = generate(tmp, "--out", out.toString());
        assertEquals(0, first.exit(), first.err());
        String ca = Files.readString(out.resolve("ca.crt"));
        String tls = Files.readString(out.resolve("tls.crt"));

        Run second = generate(tmp, "--out", out.toString());
        assertEquals(0, second.exit(), second.err());
        assertEquals(first.out(), second.out(), "same caBundle");
        assertEquals(ca, Files.readString(out.resolve("ca.crt")));
        assertNotEquals(tls, Files.readString(out.resolve("tls.crt")), "a new serving certificate");
        assertTrue(second.err().contains("CA (reused)"), second.err());

        Run third = generate(tmp, "--out", out.toString(), "--new-ca");
        assertEquals(0, third.exit(), third.err());
        assertNotEquals(first.out(), third.out());
    }

    @Test
    void serviceAndNamespaceAreConfigurable() throws Exception {
        Path out = tmp.resolve("out");
        Run r = generate(tmp, "--out", out.toString(), "--service", "hook", "--namespace", "infra");
        assertEquals(0, r.exit(), r.err());
        String text = openssl("x509", "-in", out.resolve("tls.crt").toString(), "-noout", "-ext", "subjectAltName");
        assertTrue(text.contains("DNS:hook.infra.svc, DNS:hook.infra.svc.cluster.local"), text);
    }

    @Test
    void caBundlePatchesHaveOneOperationPerWebhookOfTheBase() throws Exception {
        Path out = tmp.resolve("out");
        Run r = generate(tmp, "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        String bundle = r.out().strip().substring("caBundle: ".length());
        List<Doc> base = Manifests.read(Manifests.DEPLOY.resolve("base/webhooks.yaml"));
        Map<String, String> patchFor = Map.of("ValidatingWebhookConfiguration", "cabundle-validating.yaml",
                "MutatingWebhookConfiguration", "cabundle-mutating.yaml");
        for (Doc config : base) {
            int webhooks = config.tree().path("webhooks").size();
            var ops = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(out.resolve(patchFor.get(config.kind())).toFile());
            assertEquals(webhooks, ops.size(), config.kind() + ": one caBundle operation per webhook");
            for (int i = 0; i < webhooks; i++) {
                assertEquals("add", ops.get(i).path("op").asText());
                assertEquals("/webhooks/" + i + "/clientConfig/caBundle", ops.get(i).path("path").asText());
                assertEquals(bundle, ops.get(i).path("value").asText());
            }
        }
    }

    @Test
    void badArgumentsAreRefusedWithAMessage() throws Exception {
        Path out = tmp.resolve("never");
        for (List<String> args : List.of(List.of("--days", "ten"), List.of("--service", "Bad_Name"), List.of("--san", "example.com"),
                List.of("--bogus"), List.of("--out"))) {
            List<String> all = new ArrayList<>(List.of("--out", out.toString()));
            all.addAll(args);
            if (args.equals(List.of("--out"))) {
                all = List.of("--out");
            }
            Run r = generate(tmp, all.toArray(String[]::new));
            assertEquals(2, r.exit(), args + ": " + r.err());
            assertTrue(r.err().startsWith("generate.sh: "), r.err());
            assertEquals("", r.out());
        }
        assertTrue(Files.notExists(out), "nothing written on a usage error");
    }
}
