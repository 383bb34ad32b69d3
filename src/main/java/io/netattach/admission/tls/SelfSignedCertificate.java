package io.netattach.admission.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A self-signed ECDSA P-256 server certificate built with the JDK alone (DER written here, signed
 * with {@code SHA256withECDSA}), so the standalone webhook can serve HTTPS without openssl, keytool
 * or a network. X.509 v3 with subjectAltName (DNS names and IP addresses), basicConstraints CA:false,
 * keyUsage digitalSignature and extendedKeyUsage serverAuth.
 */
public record SelfSignedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate for {@code commonName} valid from one hour ago for {@code validity}. */
    public static SelfSignedCertificate generate(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                                 Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keyPair = generator.generateKeyPair();
            Instant notBefore = Instant.now().minus(Duration.ofHours(1));
            byte[] tbs = tbsCertificate(commonName, dnsNames, ipAddresses, notBefore, notBefore.plus(validity),
                    keyPair.getPublic().getEncoded());
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keyPair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] der = Der.sequence(tbs, ECDSA_WITH_SHA256, Der.bitString(signature));
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            certificate.verify(keyPair.getPublic());
            return new SelfSignedCertificate(certificate, keyPair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The usual certificate for a webhook reached on this machine: localhost and 127.0.0.1, ::1. */
    public static SelfSignedCertificate forLocalhost() {
        return generate("localhost", List.of("localhost"), List.of("127.0.0.1", "::1"), Duration.ofDays(365));
    }

    /**
     * Writes the certificate and the PKCS#8 key as PEM files. Each file is written to a temporary
     * sibling and moved into place atomically, so a reloading server never reads half a file; the
     * key file is readable by its owner only.
     */
    public void writePem(Path certFile, Path keyFile) {
        try {
            writeAtomically(keyFile, pem("PRIVATE KEY", privateKey.getEncoded()), true);
            writeAtomically(certFile, pem("CERTIFICATE", certificate.getEncoded()), false);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + certFile + " / " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** {@code AB:CD:...}: SHA-256 of the DER certificate, as browsers and {@code openssl x509 -fingerprint} show it. */
    public String sha256Fingerprint() {
        return sha256Fingerprint(certificate);
    }

    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint certificate: " + e.getMessage(), e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (ownerOnly) {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep the default permissions
                }
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // --- DER -------------------------------------------------------------------------------------

    private static final byte[] ECDSA_WITH_SHA256 = Der.sequence(Der.oid("1.2.840.10045.4.3.2"));

    private static byte[] tbsCertificate(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                         Instant notBefore, Instant notAfter, byte[] subjectPublicKeyInfo) {
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        serial[0] &= 0x7f;
        serial[0] |= 0x01; // positive and without a leading zero byte
        byte[] name = Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));

        List<byte[]> generalNames = new ArrayList<>();
        for (String dns : dnsNames) {
            generalNames.add(Der.tagged(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
        }
        for (String ip : ipAddresses) {
            generalNames.add(Der.tagged(0x87, ipLiteral(ip)));
        }
        byte[] extensions = Der.sequence(
                extension("2.5.29.19", true, Der.sequence()),                                  // basicConstraints CA:false
                extension("2.5.29.15", true, new byte[] {0x03, 0x02, 0x07, (byte) 0x80}),      // keyUsage digitalSignature
                extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))),     // extKeyUsage serverAuth
                extension("2.5.29.17", false, Der.sequence(generalNames.toArray(byte[][]::new)))); // subjectAltName

        return Der.sequence(
                Der.tagged(0xa0, Der.integer(BigInteger.TWO.toByteArray())), // version v3
                Der.integer(serial),
                ECDSA_WITH_SHA256,
                name,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name,
                subjectPublicKeyInfo,
                Der.tagged(0xa3, extensions));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), new byte[] {0x01, 0x01, (byte) 0xff}, Der.tagged(0x04, value))
                : Der.sequence(Der.oid(oid), Der.tagged(0x04, value));
    }

    private static byte[] ipLiteral(String ip) {
        boolean literal = ip.indexOf(':') >= 0 || ip.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        if (!literal) {
            throw new IllegalArgumentException("not an IP address literal: \"" + ip + "\"");
        }
        try {
            return InetAddress.getByName(ip).getAddress(); // a literal: no name lookup
        } catch (IOException e) {
            throw new IllegalArgumentException("not an IP address literal: \"" + ip + "\"", e);
        }
    }
}
