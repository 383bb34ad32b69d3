package io.netattach.admission.tls;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.concurrent.TimeUnit;

/**
 * What a certificate rotation costs the swapping key manager: reading a PEM pair (ECDSA P-256, as the
 * self-signed certificate) and the check that the key belongs to the
 * certificate (an ECDSA signature made and verified). Both run once per changed file content, never
 * per handshake.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class PemKeyPairBenchmark {

    private byte[] certPem;
    private byte[] keyPem;
    private PemKeyPair pair;

    @Setup
    public void setUp() throws CertificateEncodingException {
        SelfSignedCertificate generated = SelfSignedCertificate.forLocalhost();
        certPem = SelfSignedCertificate.pem("CERTIFICATE", generated.certificate().getEncoded())
                .getBytes(StandardCharsets.US_ASCII);
        keyPem = SelfSignedCertificate.pem("PRIVATE KEY", generated.privateKey().getEncoded())
                .getBytes(StandardCharsets.US_ASCII);
        pair = PemKeyPair.parse(certPem, keyPem);
    }

    /** Read and checked: what one rotation costs. */
    @Benchmark
    public PemKeyPair parseWithMismatchCheck() {
        return PemKeyPair.parse(certPem, keyPem);
    }

    /**
     * For comparison: the same pair through Vert.x {@code PemKeyCertOptions} (a PKCS#12 key store under a
     * dummy password: the key is encrypted and decrypted with PBKDF2), which {@link PemKeyPair} avoids.
     */
    @Benchmark
    public Object vertxPemKeyCertOptions() throws Exception {
        io.vertx.core.net.PemKeyCertOptions options = new io.vertx.core.net.PemKeyCertOptions()
                .setCertValue(io.vertx.core.buffer.Buffer.buffer(certPem))
                .setKeyValue(io.vertx.core.buffer.Buffer.buffer(keyPem));
        return options.getKeyManagerFactory(null);
    }

    /** The mismatch check alone. */
    @Benchmark
    public String mismatchCheck() {
        return PemKeyPair.mismatch(pair.privateKey(), pair.certificate().getPublicKey());
    }
}
