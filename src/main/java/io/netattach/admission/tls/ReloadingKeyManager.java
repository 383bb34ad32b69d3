package io.netattach.admission.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The HTTPS server's key manager: serves the certificate and key of two PEM files and swaps them
 * atomically when the files change, so a rotation never rebuilds the server's SSL context (no
 * handshake, on a new or an existing connection, can fail because of it).
 *
 * <p>{@link #reload()} (called every reload period) reads both files, following symlinks as a
 * Kubernetes Secret volume swaps {@code ..data}; when their bytes equal the served ones nothing is
 * parsed. Changed bytes are parsed ({@link PemKeyPair}) and served from the next handshake on only
 * when both parse and the key belongs to the certificate; a half-written, mismatched or damaged
 * pair keeps the served one and is reported once ({@link Reload.Rejected#repeated()} is false the
 * first time).
 *
 * <p>Each served pair has its own alias ({@code netattach-<generation>}), and the last few pairs stay
 * reachable by alias, so a handshake that chose its alias just before a swap still gets the key and
 * the chain of one and the same pair.
 */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {

    /** What a {@link #reload()} did. */
    public sealed interface Reload {
        /** The files hold the served pair (or the already reported rejected one). */
        record Unchanged() implements Reload {
        }

        /** A new pair is served from the next handshake on. */
        record Rotated(X509Certificate previous, X509Certificate current) implements Reload {
        }

        /** The files hold no usable pair: the served one stays. {@code repeated}: reported before. */
        record Rejected(String reason, boolean repeated) implements Reload {
        }
    }

    private static final String ALIAS_PREFIX = "netattach-";
    private static final int KEPT_GENERATIONS = 4;

    private record Served(long generation, PemKeyPair pair, byte[] certPem, byte[] keyPem) {
        String alias() {
            return ALIAS_PREFIX + generation;
        }
    }

    private final Path certFile;
    private final Path keyFile;
    /** Newest first; replaced whole, never modified. */
    private volatile List<Served> served;
    // only touched under the lock of reload()
    private byte[] rejectedCert;
    private byte[] rejectedKey;
    private String reported;
    private int parses;

    /** Loads the pair now; an unusable pair is an {@link IllegalArgumentException} naming the files and the reason. */
    public ReloadingKeyManager(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        byte[][] pem;
        try {
            pem = read();
        } catch (IOException e) {
            throw new IllegalArgumentException(describe("cannot be read: " + e), e);
        }
        try {
            parses++;
            served = List.of(new Served(1, PemKeyPair.parse(pem[0], pem[1]), pem[0], pem[1]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(e.getMessage()), e);
        }
    }

    public Path certFile() {
        return certFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    /** The pair served to new handshakes. */
    public PemKeyPair current() {
        return served.getFirst().pair();
    }

    /** The leaf certificate served to new handshakes. */
    public X509Certificate certificate() {
        return current().certificate();
    }

    /** How often a pair was parsed (at construction and for each changed content): for tests. */
    synchronized int parses() {
        return parses;
    }

    /** Re-reads the files and swaps to their pair when it changed and is usable. */
    public synchronized Reload reload() {
        byte[][] pem;
        try {
            pem = read();
        } catch (IOException e) {
            return rejected("cannot be read (" + e + ")");
        }
        Served now = served.getFirst();
        if (Arrays.equals(pem[0], now.certPem()) && Arrays.equals(pem[1], now.keyPem())) {
            rejectedCert = null;
            rejectedKey = null;
            reported = null;
            return new Reload.Unchanged();
        }
        if (reported != null && Arrays.equals(pem[0], rejectedCert) && Arrays.equals(pem[1], rejectedKey)) {
            return new Reload.Rejected(reported, true);
        }
        PemKeyPair next;
        try {
            parses++;
            next = PemKeyPair.parse(pem[0], pem[1]);
        } catch (IllegalArgumentException e) {
            rejectedCert = pem[0];
            rejectedKey = pem[1];
            return rejected(e.getMessage());
        }
        List<Served> kept = new ArrayList<>(KEPT_GENERATIONS);
        kept.add(new Served(now.generation() + 1, next, pem[0], pem[1]));
        kept.addAll(served.subList(0, Math.min(served.size(), KEPT_GENERATIONS - 1)));
        served = List.copyOf(kept);
        rejectedCert = null;
        rejectedKey = null;
        reported = null;
        return new Reload.Rotated(now.pair().certificate(), next.certificate());
    }

    private Reload.Rejected rejected(String problem) {
        String reason = describe(problem);
        boolean repeated = reason.equals(reported);
        reported = reason;
        return new Reload.Rejected(reason, repeated);
    }

    private String describe(String problem) {
        return "TLS certificate \"" + certFile + "\" and key \"" + keyFile + "\": " + problem;
    }

    /**
     * Both files, the certificate read again after the key: when it changed in between (a swap
     * while reading), read again, so an atomic swap is never seen half done.
     */
    private byte[][] read() throws IOException {
        byte[] cert = Files.readAllBytes(certFile);
        byte[] key = Files.readAllBytes(keyFile);
        for (int attempt = 0; attempt < 3; attempt++) {
            byte[] again = Files.readAllBytes(certFile);
            if (Arrays.equals(cert, again)) {
                break;
            }
            cert = again;
            key = Files.readAllBytes(keyFile);
        }
        return new byte[][] {cert, key};
    }

    // --- X509ExtendedKeyManager: the server side ------------------------------------------------

    private String alias(String keyType) {
        Served current = served.getFirst();
        if (keyType == null) {
            return current.alias();
        }
        int underscore = keyType.indexOf('_'); // EC_EC, EC_RSA: the key's own type comes first
        String type = underscore > 0 ? keyType.substring(0, underscore) : keyType;
        String algorithm = current.pair().privateKey().getAlgorithm();
        return type.equalsIgnoreCase(algorithm) ? current.alias() : null;
    }

    private PemKeyPair pair(String alias) {
        List<Served> all = served;
        if (alias == null) {
            return all.getFirst().pair();
        }
        for (Served s : all) {
            if (s.alias().equals(alias)) {
                return s.pair();
            }
        }
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        PemKeyPair pair = pair(alias);
        return pair == null ? null : pair.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PemKeyPair pair = pair(alias);
        return pair == null ? null : pair.privateKey();
    }

    // --- no client side: this key manager only serves -------------------------------------------

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
