package io.netattach.catalog;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Chooses and runs the webhook's {@link NadCatalog}.
 *
 * <ul>
 *   <li>{@code netattach.catalog.mode}: {@code cluster}, {@code directory} or {@code auto} (default):
 *       a cluster when {@code KUBERNETES_SERVICE_HOST} is set (in a pod), a kubeconfig exists
 *       ({@code KUBECONFIG} or {@code ~/.kube/config}), or {@code quarkus.kubernetes-client.api-server-url}
 *       is configured; otherwise the directory.</li>
 *   <li>{@code netattach.catalog.namespaces}: namespaces to watch in a cluster (default: all).</li>
 *   <li>{@code netattach.catalog.directory} (default {@code deploy/examples}) and
 *       {@code netattach.catalog.poll-interval} (default {@code 2s}) for the directory.</li>
 * </ul>
 *
 * <p>Metrics: {@code netattach_catalog_nads}, {@code netattach_catalog_ready} (1/0),
 * {@code netattach_catalog_invalid_annotations} (NADs whose netattach.io annotations are ignored) and
 * {@code netattach_catalog_annotation_problems_total} (each distinct problem, counted once).
 */
@ApplicationScoped
public class CatalogProducer {

    private static final Logger LOG = Logger.getLogger(CatalogProducer.class);

    /** Which catalog runs. */
    public enum Mode { AUTO, CLUSTER, DIRECTORY }

    @ConfigProperty(name = "netattach.catalog.mode", defaultValue = "auto")
    String mode;

    @ConfigProperty(name = "netattach.catalog.directory", defaultValue = "deploy/examples")
    String directory;

    @ConfigProperty(name = "netattach.catalog.namespaces")
    Optional<List<String>> namespaces;

    @ConfigProperty(name = "netattach.catalog.poll-interval", defaultValue = "2s")
    Duration pollInterval;

    @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url")
    Optional<String> apiServerUrl;

    @Produces
    @ApplicationScoped
    NadCatalog catalog(Instance<KubernetesClient> clients, MeterRegistry registry) {
        Counter problems = Counter.builder("netattach.catalog.annotation.problems")
                .description("netattach.io annotations on NADs that are ignored (each distinct problem once)")
                .register(registry);
        java.util.function.Consumer<String> sink = line -> {
            LOG.warn(line);
            problems.increment();
        };
        Mode chosen = resolve(parseMode(mode), System.getenv("KUBERNETES_SERVICE_HOST"), System.getenv("KUBECONFIG"),
                System.getProperty("user.home"), apiServerUrl.isPresent());
        NadCatalog catalog;
        if (chosen == Mode.CLUSTER) {
            List<String> watched = namespaces.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            LOG.infof("NAD catalog: informer on the API server, %s", watched.isEmpty() ? "all namespaces" : "namespaces " + watched);
            catalog = new InformerNadCatalog(clients.get(), watched, sink);
        } else {
            Path absolute = absoluteDirectory(directory);
            LOG.infof("NAD catalog: directory %s (standalone; netattach.catalog.directory or serve --nads)", absolute);
            catalog = new DirectoryNadCatalog(absolute, pollInterval, sink);
        }
        // Removed again when the catalog is disposed: a registry that outlives this application (the
        // global composite, when tests restart Quarkus in one JVM) would otherwise hand the next
        // application these gauges, still reading this catalog.
        meters.add(problems);
        meters.add(Gauge.builder("netattach.catalog.nads", catalog, NadCatalog::size).description("NADs in the catalog").register(registry));
        meters.add(Gauge.builder("netattach.catalog.ready", catalog, c -> c.ready() ? 1 : 0)
                .description("1 when the NAD catalog has synced").register(registry));
        meters.add(Gauge.builder("netattach.catalog.invalid.annotations", catalog, NadCatalog::invalidAnnotations)
                .description("NADs whose netattach.io annotations are ignored").register(registry));
        this.registry = registry;
        return catalog;
    }

    private final List<Meter> meters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile MeterRegistry registry;

    void start(@Observes StartupEvent event, NadCatalog catalog) {
        catalog.start();
    }

    void close(@Disposes NadCatalog catalog) {
        catalog.close();
        MeterRegistry current = registry;
        if (current != null) {
            meters.forEach(current::remove);
        }
        meters.clear();
    }

    /** {@code directory} as an absolute, normalized path (a relative one is relative to the working directory). */
    static Path absoluteDirectory(String directory) {
        return Path.of(directory.strip()).toAbsolutePath().normalize();
    }

    public static Mode parseMode(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "cluster" -> Mode.CLUSTER;
            case "directory" -> Mode.DIRECTORY;
            case "auto", "" -> Mode.AUTO;
            default -> throw new IllegalArgumentException("netattach.catalog.mode must be auto, cluster or directory, got \"" + text + "\"");
        };
    }

    /** The catalog for {@code mode} given the environment (see the class comment). */
    public static Mode resolve(Mode mode, String serviceHost, String kubeconfig, String home, boolean apiServerConfigured) {
        if (mode != Mode.AUTO) {
            return mode;
        }
        if (serviceHost != null && !serviceHost.isBlank()) {
            return Mode.CLUSTER;
        }
        if (apiServerConfigured) {
            return Mode.CLUSTER;
        }
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            for (String file : kubeconfig.split(java.io.File.pathSeparator)) {
                if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
                    return Mode.CLUSTER;
                }
            }
        }
        if (home != null && Files.isRegularFile(Path.of(home, ".kube", "config"))) {
            return Mode.CLUSTER;
        }
        return Mode.DIRECTORY;
    }
}
