package io.netattach.admission.tls;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Decides, before Quarkus boots, which certificate the HTTPS server serves, and hands it to the
 * Quarkus TLS registry as {@code quarkus.tls.key-store.pem.0.cert} / {@code .key} system properties
 * (system properties outrank application.properties, so the registry sees them when the HTTP
 * server starts). In order:
 *
 * <ol>
 *   <li>{@code netattach.tls.cert} and {@code netattach.tls.key} (system properties), or the
 *       environment variables {@code NETATTACH_TLS_CERT} / {@code NETATTACH_TLS_KEY}: PEM files,
 *       typically a mounted Secret; both or neither;</li>
 *   <li>any {@code quarkus.tls.key-store.*} already given as system property or environment
 *       variable: left to Quarkus untouched;</li>
 *   <li>otherwise a fresh self-signed certificate for localhost / 127.0.0.1 / ::1, written to a new
 *       private temporary directory that is removed at exit.</li>
 * </ol>
 *
 * <p>What was chosen is recorded in {@code netattach.tls.source} ({@code files}, {@code quarkus},
 * {@code self-signed}) so that {@code TlsStartupReport} can log it once the server is up. Files and
 * self-signed certificates are served through the swapping {@link ReloadingKeyManager}
 * ({@link #serverProperties}); a key store configured in the Quarkus TLS registry is served and
 * reloaded ({@code quarkus.tls.reload-period}) by Quarkus itself.
 */
public final class TlsBootstrap {

    public static final String CERT_PROPERTY = "netattach.tls.cert";
    public static final String KEY_PROPERTY = "netattach.tls.key";
    public static final String SOURCE_PROPERTY = "netattach.tls.source";
    public static final String QUARKUS_CERT = "quarkus.tls.key-store.pem.0.cert";
    public static final String QUARKUS_KEY = "quarkus.tls.key-store.pem.0.key";
    public static final String QUARKUS_RELOAD_PERIOD = "quarkus.tls.reload-period";

    /** What {@link #prepare} decided. */
    public sealed interface Outcome {
        /** Certificate files named by the operator. */
        record Files(Path cert, Path key) implements Outcome {
        }

        /** The operator configured the Quarkus TLS registry directly. */
        record QuarkusConfigured() implements Outcome {
        }

        /** No certificate configured: a self-signed one was created. */
        record SelfSigned(Path cert, Path key, String sha256Fingerprint) implements Outcome {
        }

        /** The configuration is unusable; the message says why. */
        record Invalid(String message) implements Outcome {
        }
    }

    private TlsBootstrap() {
    }

    /** Applies the decision to the system properties of this JVM; {@code false} when the configuration is unusable. */
    public static boolean prepare(PrintStream err) {
        Outcome outcome = decide(System.getProperties(), System.getenv(), () -> {
            try {
                Path dir = Files.createTempDirectory("netattach-tls-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                dir.toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a directory for the self-signed certificate: "
                        + e.getMessage(), e);
            }
        });
        switch (outcome) {
            case Outcome.Invalid invalid -> {
                err.println("netattach: " + invalid.message());
                return false;
            }
            case Outcome.Files files -> apply(files.cert(), files.key(), "files");
            case Outcome.SelfSigned selfSigned -> {
                selfSigned.cert().toFile().deleteOnExit();
                selfSigned.key().toFile().deleteOnExit();
                apply(selfSigned.cert(), selfSigned.key(), "self-signed");
                System.setProperty("netattach.tls.fingerprint", selfSigned.sha256Fingerprint());
            }
            case Outcome.QuarkusConfigured ignored -> System.setProperty(SOURCE_PROPERTY, "quarkus");
        }
        return true;
    }

    /** The decision alone, without side effects on the JVM (the self-signed files are written to {@code tempDir}). */
    public static Outcome decide(Properties system, Map<String, String> env, java.util.function.Supplier<Path> tempDir) {
        Optional<String> cert = value(system, env, CERT_PROPERTY, "NETATTACH_TLS_CERT");
        Optional<String> key = value(system, env, KEY_PROPERTY, "NETATTACH_TLS_KEY");
        if (cert.isPresent() != key.isPresent()) {
            return new Outcome.Invalid(cert.isPresent()
                    ? "netattach.tls.cert (NETATTACH_TLS_CERT) is set to \"" + cert.get()
                            + "\" but netattach.tls.key (NETATTACH_TLS_KEY) is not: set both or neither"
                    : "netattach.tls.key (NETATTACH_TLS_KEY) is set to \"" + key.get()
                            + "\" but netattach.tls.cert (NETATTACH_TLS_CERT) is not: set both or neither");
        }
        if (cert.isPresent()) {
            Path certFile = Path.of(cert.get());
            Path keyFile = Path.of(key.get());
            for (Path file : new Path[] {certFile, keyFile}) {
                if (!Files.isReadable(file)) {
                    return new Outcome.Invalid("TLS file \"" + file + "\" "
                            + (Files.exists(file) ? "is not readable" : "does not exist")
                            + " (netattach.tls.cert / netattach.tls.key)");
                }
            }
            String problem = pemProblem(certFile, keyFile);
            if (problem != null) {
                return new Outcome.Invalid(problem);
            }
            return new Outcome.Files(certFile.toAbsolutePath(), keyFile.toAbsolutePath());
        }
        boolean quarkusConfigured = system.stringPropertyNames().stream().anyMatch(n -> n.startsWith("quarkus.tls.key-store."))
                || env.keySet().stream().anyMatch(n -> n.startsWith("QUARKUS_TLS_KEY_STORE_"));
        if (quarkusConfigured) {
            return new Outcome.QuarkusConfigured();
        }
        Path dir = tempDir.get();
        SelfSignedCertificate selfSigned = SelfSignedCertificate.forLocalhost();
        Path certFile = dir.resolve("tls.crt");
        Path keyFile = dir.resolve("tls.key");
        selfSigned.writePem(certFile, keyFile);
        return new Outcome.SelfSigned(certFile, keyFile, selfSigned.sha256Fingerprint());
    }

    /**
     * A one-line reason when the files are not a PEM certificate and a PEM private key that belong
     * together, else null. The pair is read once, by the parser the swapping key manager uses.
     */
    static String pemProblem(Path certFile, Path keyFile) {
        byte[] cert;
        byte[] key;
        try {
            cert = Files.readAllBytes(certFile);
        } catch (IOException e) {
            return "TLS certificate file \"" + certFile + "\" cannot be read (netattach.tls.cert): " + e.getMessage();
        }
        try {
            key = Files.readAllBytes(keyFile);
        } catch (IOException e) {
            return "TLS key file \"" + keyFile + "\" cannot be read (netattach.tls.key): " + e.getMessage();
        }
        try {
            PemKeyPair.parse(cert, key);
            return null;
        } catch (PemKeyPair.Unusable e) {
            return switch (e.problem()) {
                case NO_CERTIFICATE -> "TLS certificate file \"" + certFile + "\" holds no certificate (netattach.tls.cert): "
                        + "expected -----BEGIN CERTIFICATE-----";
                case DAMAGED_CERTIFICATE -> "TLS certificate file \"" + certFile
                        + "\" is not a PEM certificate (netattach.tls.cert): " + e.getMessage();
                case NO_KEY -> "TLS key file \"" + keyFile + "\" holds no PEM private key (netattach.tls.key): expected "
                        + "-----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY)";
                case ENCRYPTED_KEY -> "TLS key file \"" + keyFile
                        + "\" is encrypted (netattach.tls.key): give an unencrypted key";
                case DAMAGED_KEY, MISMATCH -> "TLS certificate \"" + certFile + "\" and key \"" + keyFile
                        + "\" are not a usable pair (netattach.tls.cert / netattach.tls.key): " + e.getMessage();
            };
        }
    }

    private static void apply(Path cert, Path key, String source) {
        serverProperties(cert, key, source).forEach(System::setProperty);
        if (System.getProperty(PKCS12_KEY_ITERATIONS) == null) {
            System.setProperty(PKCS12_KEY_ITERATIONS, "1");
        }
    }

    /**
     * The JDK's PBKDF2 iteration count for keys put into a PKCS12 key store. Vert.x turns the PEM pair
     * into an in-memory PKCS12 store under a random password (the TLS registry's check at start, then the
     * HTTPS options), and the JDK's default of 10,000 PBKDF2 iterations per key entry and lookup costs
     * about 100 ms of a cold start on one CPU. That store is never written anywhere, so one iteration loses
     * nothing; a value the user sets ({@code -Dkeystore.pkcs12.keyPbeIterationCount=N}) is kept.
     */
    static final String PKCS12_KEY_ITERATIONS = "keystore.pkcs12.keyPbeIterationCount";

    /**
     * The configuration that serves {@code cert} / {@code key} ({@code source} {@code files} or
     * {@code self-signed}): the TLS registry loads the pair once (protocols, cipher suites and trust
     * store stay the registry's), and the HTTPS server serves it through the swapping
     * {@link ReloadingKeyManager}, which re-reads the files every {@code netattach.tls.reload-period}.
     * The registry's own reload is switched off (an empty {@value #QUARKUS_RELOAD_PERIOD}, which
     * outranks application.properties and the environment): it would rebuild the server's SSL context
     * on every period, and Vert.x refuses new connections while it does.
     */
    public static Map<String, String> serverProperties(Path cert, Path key, String source) {
        if (!servesThroughKeyManager(source)) {
            throw new IllegalArgumentException("not a certificate file source: \"" + source + "\"");
        }
        return Map.of(QUARKUS_CERT, cert.toString(), QUARKUS_KEY, key.toString(),
                CERT_PROPERTY, cert.toString(), KEY_PROPERTY, key.toString(),
                SOURCE_PROPERTY, source, QUARKUS_RELOAD_PERIOD, "");
    }

    /** Whether the certificate of this {@code netattach.tls.source} is served by the {@link ReloadingKeyManager}. */
    public static boolean servesThroughKeyManager(String source) {
        return "files".equals(source) || "self-signed".equals(source);
    }

    private static Optional<String> value(Properties system, Map<String, String> env, String property, String variable) {
        String v = system.getProperty(property);
        if (v == null || v.isBlank()) {
            v = env.get(variable);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }
}
