package io.netattach.admission.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A serving certificate chain and its private key, parsed from PEM with the JDK alone.
 *
 * <p>Certificates: one or more {@code CERTIFICATE} blocks, leaf first. Keys: the formats the Vert.x
 * PEM key store reads, so nothing that worked before stops working: PKCS#8 {@code PRIVATE KEY}
 * (RSA, EC, and also Ed25519/Ed448 and RSASSA-PSS), PKCS#1 {@code RSA PRIVATE KEY} (openssl's
 * traditional format, cert-manager's default for RSA) and SEC1 {@code EC PRIVATE KEY}. Encrypted keys
 * are refused. A pair is accepted only when the key belongs to the leaf certificate (a signature made
 * with the key verifies with the certificate's public key), so a half-rotated pair is never served.
 */
public record PemKeyPair(PrivateKey privateKey, X509Certificate[] chain) {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
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

    /**
     * Parses a certificate file and a key file; the exception message is one line naming what is
     * wrong (the caller adds the file names).
     */
    public static PemKeyPair parse(byte[] certPem, byte[] keyPem) {
        X509Certificate[] chain = certificates(certPem);
        PrivateKey key = privateKey(keyPem, chain[0]);
        String mismatch = mismatch(key, chain[0].getPublicKey());
        if (mismatch != null) {
            throw new IllegalArgumentException(mismatch);
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
            throw new IllegalArgumentException("the certificate file holds a damaged certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("the certificate file holds no complete -----BEGIN CERTIFICATE----- block");
        }
        return certificates.toArray(X509Certificate[]::new);
    }

    static PrivateKey privateKey(byte[] pem, X509Certificate certificate) {
        List<Block> blocks;
        try {
            blocks = blocks(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key file holds damaged base64: " + e.getMessage(), e);
        }
        for (Block block : blocks) {
            switch (block.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der(), "PKCS#8");
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid(RSA_ENCRYPTION), Der.NULL),
                            Der.octetString(block.der())), "PKCS#1 RSA");
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(Der.sequence(Der.integer(0),
                            Der.sequence(Der.oid(EC_PUBLIC_KEY), curve(block.der(), certificate)),
                            Der.octetString(block.der())), "SEC1 EC");
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        "the key file holds an encrypted key: give an unencrypted one");
                default -> {
                    // EC PARAMETERS and the like: skip
                }
            }
        }
        throw new IllegalArgumentException("the key file holds no complete -----BEGIN PRIVATE KEY----- "
                + "(or RSA / EC PRIVATE KEY) block");
    }

    private static PrivateKey pkcs8(byte[] der, String format) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("the key file holds a " + format
                + " private key that cannot be read (damaged, or not RSA, EC or EdDSA)");
    }

    /** The named curve of a SEC1 key: its own [0] parameters, else the certificate's. */
    private static byte[] curve(byte[] sec1, X509Certificate certificate) {
        try {
            Der.Reader sequence = new Der.Reader(sec1).enter(0x30);
            sequence.next(0x02); // version
            sequence.next(0x04); // private key
            while (sequence.hasMore()) {
                Der.Element element = sequence.next(-1);
                if (element.tag() == 0xa0) {
                    return new Der.Reader(element.content()).nextEncoded(0x06);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key file holds a damaged SEC1 EC private key: " + e.getMessage(), e);
        }
        // no parameters in the key: the certificate's SubjectPublicKeyInfo names the curve
        try {
            Der.Reader spki = new Der.Reader(certificate.getPublicKey().getEncoded()).enter(0x30);
            Der.Reader algorithm = new Der.Reader(spki.next(0x30).content());
            algorithm.next(0x06);
            return algorithm.nextEncoded(0x06);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key file holds a SEC1 EC private key without a curve, and the "
                    + "certificate's key is not an EC key on a named curve", e);
        }
    }

    /** Null when {@code key} is the private half of {@code publicKey}, else why not. */
    static String mismatch(PrivateKey key, PublicKey publicKey) {
        String keyAlgorithm = family(key.getAlgorithm());
        String certAlgorithm = family(publicKey.getAlgorithm());
        if (!keyAlgorithm.equals(certAlgorithm)) {
            return "the private key (" + key.getAlgorithm() + ") does not belong to the certificate ("
                    + publicKey.getAlgorithm() + " key)";
        }
        if (key instanceof RSAKey rsaKey && publicKey instanceof RSAKey rsaPublic) {
            return rsaKey.getModulus().equals(rsaPublic.getModulus()) ? null
                    : "the private key does not belong to the certificate (RSA moduli differ)";
        }
        String signatureAlgorithm = switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (signatureAlgorithm == null) {
            return "the private key's algorithm " + key.getAlgorithm() + " cannot serve TLS";
        }
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(signatureAlgorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature) ? null
                    : "the private key does not belong to the certificate (a signature made with it does not verify)";
        } catch (GeneralSecurityException e) {
            return "the private key does not belong to the certificate (" + e.getMessage() + ")";
        }
    }

    /** The TLS key type of a key algorithm: RSA, EC, EdDSA (Ed25519 and Ed448 are EdDSA), RSASSA-PSS, ... */
    static String family(String algorithm) {
        return switch (algorithm) {
            case "Ed25519", "Ed448" -> "EdDSA";
            case "RSASSA-PSS" -> "RSA"; // same key, used with PSS signatures only
            default -> algorithm;
        };
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(byte[] pem) {
        String text = new String(pem, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return blocks;
    }

    // --- OIDs to wrap a PKCS#1 or SEC1 key into PKCS#8 (Der) ------------------------------------------

    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
}
