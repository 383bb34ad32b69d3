package io.netattach.admission.tls;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTPS server's JDK TLS engine takes its record buffers from Netty's pool instead of allocating
 * them: unpooled, every response written allocates a buffer sized for a whole TLS record (about 17 KB
 * for a 1-2 KB AdmissionReview), a quarter of the bytes a NAD review allocates and so of the young
 * collections under load. Vert.x recommends pooled buffers and leaves them off by default. An engine
 * other than the JDK's (OpenSSL) is left as configured; {@code netattach.tls.pooled-buffers=false} keeps
 * Vert.x' default.
 */
@Singleton
public class PooledTlsBuffers implements HttpServerOptionsCustomizer {

    @ConfigProperty(name = "netattach.tls.pooled-buffers", defaultValue = "true")
    boolean enabled;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (!enabled) {
            return;
        }
        SSLEngineOptions engine = options.getSslEngineOptions();
        if (engine == null) {
            options.setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true));
        } else if (engine instanceof JdkSSLEngineOptions jdk && !jdk.isPooledHeapBuffers()) {
            options.setSslEngineOptions(jdk.copy().setPooledHeapBuffers(true));
        }
    }
}
