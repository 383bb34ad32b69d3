package io.netattach.admission.tls;

import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The certificate HTTPS serves, and where it comes from.
 *
 * <p>With certificate files ({@link TlsBootstrap} outcome {@code files} or {@code self-signed}) the
 * server serves them through a {@link ReloadingKeyManager} ({@link ReloadingHttpsCustomizer} plugs it
 * in) that this bean re-reads every {@code netattach.tls.reload-period}; each rotation or rejected
 * pair is fired as a {@link ReloadingKeyManager.Reload} event ({@link TlsStartupReport} logs it).
 * Otherwise (the operator configured the Quarkus TLS registry directly) the registry's default key
 * store is served and reloaded by Quarkus.
 */
@Singleton
public class ServedCertificate {

    private static final Logger LOG = Logger.getLogger(ServedCertificate.class);

    @Inject
    TlsConfigurationRegistry registry;

    @Inject
    Event<ReloadingKeyManager.Reload> reloads;

    @ConfigProperty(name = TlsBootstrap.SOURCE_PROPERTY, defaultValue = "quarkus")
    String source;

    @ConfigProperty(name = TlsBootstrap.CERT_PROPERTY)
    Optional<String> certFile;

    @ConfigProperty(name = TlsBootstrap.KEY_PROPERTY)
    Optional<String> keyFile;

    @ConfigProperty(name = "netattach.tls.reload-period", defaultValue = "1m")
    Duration reloadPeriod;

    private ReloadingKeyManager keyManager;
    private ScheduledExecutorService reloader;

    @PostConstruct
    void start() {
        if (!TlsBootstrap.servesThroughKeyManager(source) || certFile.isEmpty() || keyFile.isEmpty()) {
            return;
        }
        keyManager = new ReloadingKeyManager(Path.of(certFile.get()), Path.of(keyFile.get()));
        if (reloadPeriod.isZero() || reloadPeriod.isNegative()) {
            return;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("netattach-tls-reload").unstarted(r));
        long period = reloadPeriod.toMillis();
        reloader.scheduleWithFixedDelay(this::reload, period, period, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }

    /** Where the certificate comes from: {@code files}, {@code self-signed} or {@code quarkus} ({@link TlsBootstrap}). */
    public String source() {
        return source;
    }

    /** The certificate file, when {@link TlsBootstrap} chose one. */
    public Optional<String> certFile() {
        return certFile;
    }

    /** The key file, when {@link TlsBootstrap} chose one. */
    public Optional<String> keyFile() {
        return keyFile;
    }

    /** How often the files are re-read, as an operator writes it ({@code 1m}, {@code 30s}). */
    public String reloadPeriod() {
        return reloadPeriod.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /** The swapping key manager serving the certificate files; empty when Quarkus serves its own key store. */
    public Optional<ReloadingKeyManager> keyManager() {
        return Optional.ofNullable(keyManager);
    }

    /** The certificate new handshakes get (after any rotation). */
    public Optional<X509Certificate> current() {
        if (keyManager != null) {
            return Optional.of(keyManager.certificate());
        }
        return fromRegistry(registry);
    }

    /** Re-reads the files now (the periodic task does this every reload period). */
    public ReloadingKeyManager.Reload reload() {
        if (keyManager == null) {
            return new ReloadingKeyManager.Reload.Unchanged();
        }
        try {
            ReloadingKeyManager.Reload reload = keyManager.reload();
            if (!(reload instanceof ReloadingKeyManager.Reload.Unchanged)) {
                reloads.fire(reload);
            }
            return reload;
        } catch (RuntimeException e) { // never let the periodic task die
            LOG.warnf("TLS certificate reload failed, keeping the served certificate: %s", e.toString());
            return new ReloadingKeyManager.Reload.Rejected(e.toString(), false);
        }
    }

    /** The certificate of the default TLS configuration's key store. */
    static Optional<X509Certificate> fromRegistry(TlsConfigurationRegistry registry) {
        Optional<TlsConfiguration> tls = registry.getDefault();
        if (tls.isEmpty() || tls.get().getKeyStore() == null) {
            return Optional.empty();
        }
        KeyStore keyStore = tls.get().getKeyStore();
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                Certificate certificate = keyStore.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    return Optional.of(x509);
                }
            }
        } catch (KeyStoreException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
