package io.netattach.admission.tls;

import io.vertx.core.net.impl.pkcs1.PrivateKeyParser;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving certificate chain and its private key, read from PEM: the certificates by the JDK's
 * {@link CertificateFactory}, the key by Vert.x's {@link PrivateKeyParser}, the parser behind the
 * {@code PemKeyCertOptions} with which the Quarkus TLS registry reads the same files, so both accept
 * the same keys. ({@code PemKeyCertOptions} itself is not used: it stores the pair in a PKCS#12 key
 * store under a dummy password, which encrypts and decrypts the key with PBKDF2 at every start and
 * rotation: measured several times the cost of this parse and the mismatch check together; see
 * {@code PemKeyPairBenchmark}.)
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
     * Parses a certificate file and a key file; an unusable pair is an {@link Unusable} whose message
     * is one line naming what is wrong (the caller adds the file names).
     */
    public static PemKeyPair parse(byte[] certPem, byte[] keyPem) {
        X509Certificate[] chain = certificates(certPem);
        PrivateKey key = privateKey(keyPem, chain[0]);
        String mismatch = mismatch(key, chain[0].getPublicKey());
        if (mismatch != null) {
            throw new Unusable(Problem.MISMATCH, mismatch, null);
        }
        return new PemKeyPair(key, chain);
    }

    static X509Certificate[] certificates(byte[] pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(pem)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new Unusable(Problem.DAMAGED_CERTIFICATE,
                    "the certificate file holds a damaged certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new Unusable(Problem.NO_CERTIFICATE,
                    "the certificate file holds no complete -----BEGIN CERTIFICATE----- block", null);
        }
        return certificates.toArray(X509Certificate[]::new);
    }

    /** The key of the first private key block, read by Vert.x's parser (the one behind {@code PemKeyCertOptions}). */
    static PrivateKey privateKey(byte[] pem, X509Certificate certificate) {
        List<Block> blocks;
        try {
            blocks = blocks(pem);
        } catch (IllegalArgumentException e) {
            throw new Unusable(Problem.DAMAGED_KEY, "the key file holds damaged base64: " + e.getMessage(), e);
        }
        for (Block block : blocks) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return key("PKCS#8", () -> {
                        String algorithm = PrivateKeyParser.getPKCS8EncodedKeyAlgorithm(block.der());
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(block.der()));
                    });
                }
                case "RSA PRIVATE KEY" -> {
                    return key("PKCS#1 RSA", () -> KeyFactory.getInstance("RSA")
                            .generatePrivate(PrivateKeyParser.getRSAKeySpec(block.der())));
                }
                case "EC PRIVATE KEY" -> {
                    return key("SEC1 EC", () -> {
                        try {
                            return KeyFactory.getInstance("EC").generatePrivate(PrivateKeyParser.getECKeySpec(block.der()));
                        } catch (RuntimeException noCurve) {
                            return onCurveOf(certificate, block.der(), noCurve);
                        }
                    });
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new Unusable(Problem.ENCRYPTED_KEY,
                        "the key file holds an encrypted key: give an unencrypted one", null);
                default -> {
                    // EC PARAMETERS and the like: skip
                }
            }
        }
        throw new Unusable(Problem.NO_KEY, "the key file holds no complete -----BEGIN PRIVATE KEY----- "
                + "(or RSA / EC PRIVATE KEY) block", null);
    }

    private interface KeyReader {
        PrivateKey read() throws Exception;
    }

    private static PrivateKey key(String format, KeyReader reader) {
        try {
            return reader.read();
        } catch (Exception e) {
            throw new Unusable(Problem.DAMAGED_KEY, "the key file holds a " + format
                    + " private key that cannot be read (damaged, or not RSA or EC): " + e.getMessage(), e);
        }
    }

    /**
     * A SEC1 key without its [0] curve parameters (openssl writes them, some tools do not; Vert.x's parser
     * needs them): read as PKCS#8 on the named curve of the certificate.
     */
    private static PrivateKey onCurveOf(X509Certificate certificate, byte[] sec1, RuntimeException noCurve)
            throws GeneralSecurityException, java.io.IOException {
        if (!(certificate.getPublicKey() instanceof ECPublicKey ec)) {
            throw noCurve;
        }
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(ec.getParams());
        byte[] pkcs8 = Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_PUBLIC_KEY), parameters.getEncoded()),
                Der.octetString(sec1));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private record Block(String type, byte[] der) {
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /** The complete PEM blocks of a file, in order (the armor only: the DER inside is read by the libraries). */
    private static List<Block> blocks(byte[] pem) {
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return blocks;
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
