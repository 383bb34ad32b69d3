package io.netattach.admission.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving certificate chain and its private key, read from PEM by Vert.x's {@link PemKeyCertOptions}
 * (the reader the Quarkus TLS registry uses for the same files, so both accept exactly the same
 * files).
 *
 * <p>Certificates: one or more {@code CERTIFICATE} blocks, leaf first. Keys: PKCS#8
 * {@code PRIVATE KEY} (RSA, EC), PKCS#1 {@code RSA PRIVATE KEY} (openssl's traditional format,
 * cert-manager's default for RSA) and SEC1 {@code EC PRIVATE KEY}; a SEC1 key without its curve
 * parameters takes the curve of the certificate. Encrypted keys are refused. A pair is accepted only
 * when the key belongs to the leaf certificate (the RSA moduli are equal; an EC signature made with
 * the key verifies with the certificate's public key), so a half-rotated pair is never served.
 */
public record PemKeyPair(PrivateKey privateKey, X509Certificate[] chain) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public PemKeyPair {
        chain = chain.clone();
    }

    /** The leaf certificate (the one served first). */
    public X509Certificate certificate() {
        return chain[0];
    }

    @Override
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** Which part of a pair is unusable; {@link Unusable#getMessage()} says how, on one line. */
    public enum Problem {
        /** No complete {@code CERTIFICATE} block in the certificate file. */
        NO_CERTIFICATE,
        /** A certificate block that is not a readable X.509 certificate. */
        DAMAGED_CERTIFICATE,
        /** No complete private key block in the key file. */
        NO_KEY,
        /** The key file holds an encrypted key only. */
        ENCRYPTED_KEY,
        /** A private key block that cannot be read. */
        DAMAGED_KEY,
        /** Both parse but the key is not the certificate's. */
        MISMATCH
    }

    /** An unusable pair: what is wrong, the message on one line (the caller adds the file names). */
    public static final class Unusable extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        Unusable(Problem problem, String message, Throwable cause) {
            super(message, cause);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * Parses a certificate file and a key file in one pass of the library's reader; an unusable pair
     * is an {@link Unusable} whose message is one line naming what is wrong.
     */
    public static PemKeyPair parse(byte[] certPem, byte[] keyPem) {
        PemKeyPair pair;
        try {
            pair = read(certPem, keyPem);
        } catch (Exception e) {
            pair = retryWithCurveOfCertificate(certPem, keyPem, e);
        }
        String mismatch = mismatch(pair.privateKey(), pair.certificate().getPublicKey());
        if (mismatch != null) {
            throw new Unusable(Problem.MISMATCH, mismatch, null);
        }
        return pair;
    }

    /** The pair as Vert.x reads it: one key store entry holding the key and the certificate chain. */
    private static PemKeyPair read(byte[] certPem, byte[] keyPem) throws Exception {
        PemKeyCertOptions options = new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(certPem))
                .setKeyValue(Buffer.buffer(keyPem));
        KeyStore store = options.loadKeyStore(null); // values, no paths: no Vert.x instance needed
        List<String> aliases = Collections.list(store.aliases());
        for (KeyManager manager : options.getKeyManagerFactory(null).getKeyManagers()) {
            if (manager instanceof X509KeyManager x509 && aliases.size() == 1) {
                PrivateKey key = x509.getPrivateKey(aliases.getFirst());
                X509Certificate[] chain = x509.getCertificateChain(aliases.getFirst());
                if (key != null && chain != null && chain.length > 0) {
                    return new PemKeyPair(key, chain);
                }
            }
        }
        throw new IllegalStateException("the PEM key store holds no key entry");
    }

    private static final Pattern SEC1_BLOCK = Pattern.compile(
            "-----BEGIN EC PRIVATE KEY-----([A-Za-z0-9+/=\\s]*?)-----END EC PRIVATE KEY-----");

    /**
     * Vert.x refuses a SEC1 key without its [0] curve parameters (openssl writes them, some tools do
     * not): such a key is retried as PKCS#8 on the curve of the certificate. Any other failure is
     * explained ({@link #explain}).
     */
    private static PemKeyPair retryWithCurveOfCertificate(byte[] certPem, byte[] keyPem, Exception failure) {
        String keyText = new String(keyPem, StandardCharsets.ISO_8859_1);
        Matcher sec1 = SEC1_BLOCK.matcher(keyText);
        if (sec1.find() && certificateProblem(failure) == null) {
            // the key was not even read: see whether the certificate names a curve the key can take
            try {
                X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(certPem));
                if (leaf.getPublicKey() instanceof ECPublicKey ec) {
                    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
                    parameters.init(ec.getParams());
                    byte[] pkcs8 = Der.sequence(Der.integer(0),
                            Der.sequence(Der.oid(EC_PUBLIC_KEY), parameters.getEncoded()),
                            Der.octetString(Base64.getMimeDecoder().decode(sec1.group(1))));
                    return read(certPem, SelfSignedCertificate.pem("PRIVATE KEY", pkcs8)
                            .getBytes(StandardCharsets.US_ASCII));
                }
            } catch (Exception retry) {
                // not that case: explain the first failure
            }
        }
        throw explain(keyText, failure);
    }

    /** The certificate-side problem a Vert.x failure names, or null when it is about the key. */
    private static Unusable certificateProblem(Exception failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("-----BEGIN CERTIFICATE-----") || message.contains("-----END CERTIFICATE-----")) {
            return new Unusable(Problem.NO_CERTIFICATE,
                    "the certificate file holds no complete -----BEGIN CERTIFICATE----- block", failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return new Unusable(Problem.DAMAGED_CERTIFICATE,
                        "the certificate file holds a damaged certificate: " + t.getMessage(), failure);
            }
        }
        if (message.startsWith("private key algorithm does not match")) { // KeyStore.PrivateKeyEntry
            return new Unusable(Problem.MISMATCH, "the private key does not belong to the certificate (the "
                    + "certificate's key is of another algorithm)", failure);
        }
        return null;
    }

    /**
     * One line for a Vert.x failure. Vert.x reads the key before the certificates: a failure it can only
     * meet with the certificates is the certificate's, any other the key's (base64 damage in either file
     * raises the same exception: it is told apart by reading the key alone).
     */
    private static Unusable explain(String keyText, Exception failure) {
        Unusable certificate = certificateProblem(failure);
        if (certificate != null) {
            return certificate;
        }
        if (failure instanceof IllegalArgumentException && String.valueOf(failure.getMessage()).contains("base64")) {
            try {
                read(keyText.getBytes(StandardCharsets.ISO_8859_1), keyText.getBytes(StandardCharsets.ISO_8859_1));
            } catch (Exception keyAlone) {
                if (certificateProblem(keyAlone) != null) { // the key read fine: the certificate's base64
                    return new Unusable(Problem.DAMAGED_CERTIFICATE,
                            "the certificate file holds a damaged certificate: " + failure.getMessage(), failure);
                }
            }
        }
        String message = String.valueOf(failure.getMessage());
        if (message.startsWith("Missing -----BEGIN PRIVATE KEY-----") || message.startsWith("Missing -----END")) {
            if (keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                return new Unusable(Problem.ENCRYPTED_KEY, "the key file holds an encrypted key: give an unencrypted one",
                        failure);
            }
            return new Unusable(Problem.NO_KEY, "the key file holds no complete -----BEGIN PRIVATE KEY----- "
                    + "(or RSA / EC PRIVATE KEY) block", failure);
        }
        String format = keyText.contains("-----BEGIN RSA PRIVATE KEY-----") ? "PKCS#1 RSA"
                : keyText.contains("-----BEGIN EC PRIVATE KEY-----") ? "SEC1 EC" : "PKCS#8";
        return new Unusable(Problem.DAMAGED_KEY, "the key file holds a " + format
                + " private key that cannot be read (damaged, or not RSA or EC): " + message, failure);
    }

    /** Null when {@code key} is the private half of {@code publicKey}, else why not. */
    static String mismatch(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return "the private key (" + key.getAlgorithm() + ") does not belong to the certificate ("
                    + publicKey.getAlgorithm() + " key)";
        }
        if (key instanceof RSAKey rsaKey && publicKey instanceof RSAKey rsaPublic) {
            return rsaKey.getModulus().equals(rsaPublic.getModulus()) ? null
                    : "the private key does not belong to the certificate (RSA moduli differ)";
        }
        if (!key.getAlgorithm().equals("EC")) {
            return "the private key's algorithm " + key.getAlgorithm() + " cannot serve TLS";
        }
        try { // an EC private key does not carry its public point: sign and verify
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature) ? null
                    : "the private key does not belong to the certificate (a signature made with it does not verify)";
        } catch (GeneralSecurityException e) {
            return "the private key does not belong to the certificate (" + e.getMessage() + ")";
        }
    }

    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
}
