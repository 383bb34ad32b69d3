package io.netattach.admission;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Discovers the cluster's networks from the API server at start and re-reads every source each
 * {@code netattach.cluster.refresh-period} (default 5m; a periodic re-read, not a watch): OpenShift's
 * Network {@code cluster}, kubeadm's {@code kube-system/kubeadm-config} and the union of the Nodes'
 * pod CIDRs. Each source is optional: a 404, a missing CRD or a 403 means "not found" (logged at
 * INFO when that changes, never fatal); a malformed source is reported (WARN, readiness) and gives
 * nothing; a failed request (API server unreachable) keeps what the source last gave. What each
 * source gives replaces its previous contribution in {@link ClusterNetworkSource}, next to the
 * configured networks, which always apply.
 */
public final class ClusterNetworkDiscovery implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterNetworkDiscovery.class);

    static final List<ClusterDiscoverySource> SOURCES =
            List.of(new OpenShiftNetworkSource(), new KubeadmConfigSource(), new NodePodCidrSource());

    private final KubernetesClient client;
    private final ClusterNetworkSource target;
    private final List<ClusterDiscoverySource> sources;
    private final Map<String, String> lastState = new HashMap<>();
    private ScheduledExecutorService scheduler;

    public ClusterNetworkDiscovery(KubernetesClient client, ClusterNetworkSource target) {
        this(client, target, SOURCES);
    }

    ClusterNetworkDiscovery(KubernetesClient client, ClusterNetworkSource target, List<ClusterDiscoverySource> sources) {
        this.client = client;
        this.target = target;
        this.sources = List.copyOf(sources);
    }

    /** Reads now, then every {@code period}, on a daemon thread. */
    public synchronized void start(Duration period) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netattach-cluster-networks");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1000, period.toMillis());
        scheduler.scheduleWithFixedDelay(this::refresh, 0, millis, TimeUnit.MILLISECONDS);
    }

    /** Reads every source once and updates the target. Never throws. */
    public synchronized void refresh() {
        for (ClusterDiscoverySource source : sources) {
            String name = source.name();
            try {
                Optional<ClusterNetworkSource.Contribution> found = source.read(client);
                if (found.isPresent() && !(found.get().podNetworks().isEmpty() && found.get().serviceNetworks().isEmpty())) {
                    target.update(name, found.get());
                    target.note(name, null);
                    state(name, "found: " + target.describe().get(name), false);
                } else {
                    notFound(name, found.isPresent() ? "found, but it names no network" : "not found");
                }
            } catch (IllegalArgumentException e) {
                target.update(name, null);
                target.note(name, "malformed: " + e.getMessage());
                state(name, "malformed, ignored: " + e.getMessage(), true);
            } catch (KubernetesClientException e) {
                int code = e.getCode();
                if (code == 404 || code == 403 || code == 401) {
                    notFound(name, "not found (" + (code == 404 ? "404" : code + ", not permitted") + ")");
                } else {
                    // transient: keep what the source last gave
                    state(name, "not read, keeping the last result: " + firstLine(e.getMessage()), true);
                }
            } catch (RuntimeException e) {
                state(name, "not read, keeping the last result: " + firstLine(String.valueOf(e.getMessage())), true);
            }
        }
    }

    private void notFound(String name, String why) {
        target.update(name, null);
        target.note(name, why);
        state(name, why, false);
    }

    private void state(String name, String text, boolean warn) {
        if (!text.equals(lastState.put(name, text))) {
            if (warn) {
                LOG.warnf("cluster networks: %s: %s", name, text);
            } else {
                LOG.infof("cluster networks: %s: %s", name, text);
            }
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
