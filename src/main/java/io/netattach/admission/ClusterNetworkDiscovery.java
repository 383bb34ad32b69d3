package io.netattach.admission;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Discovers the cluster's networks from the API server and keeps them current: OpenShift's Network
 * {@code cluster}, kubeadm's {@code kube-system/kubeadm-config} and the union of the Nodes' pod CIDRs.
 *
 * <p>Every source is read at start and again every {@code netattach.cluster.refresh-period} (default
 * 5m). Sources that are Kubernetes objects one can watch are also followed by a fabric8 informer, so
 * a change reaches admission within seconds: the Nodes (watched from the first successful read, even
 * when no Node has a pod CIDR yet) and the OpenShift Network (watched once found). kubeadm-config is
 * only re-read periodically (see {@link KubeadmConfigSource}). A watch the API server refuses (403,
 * 404) is closed and tried again after the next successful read; the periodic re-read remains the
 * fallback in every case.
 *
 * <p>Each source is optional: a 404, a missing CRD or a 403 means "not found" (logged at INFO when
 * that changes, never fatal); a malformed source is reported (WARN, readiness) and gives nothing; a
 * failed request (API server unreachable) keeps what the source last gave. What each source gives
 * replaces its previous contribution in {@link ClusterNetworkSource}, next to the configured
 * networks, which always apply. Every source has a state there for readiness, from
 * {@code not read yet} to {@code found: ...}, {@code not found}, {@code malformed: ...} or
 * {@code unreachable: <reason>}.
 */
public final class ClusterNetworkDiscovery implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterNetworkDiscovery.class);

    static final List<ClusterDiscoverySource> SOURCES =
            List.of(new OpenShiftNetworkSource(), new KubeadmConfigSource(), new NodePodCidrSource());

    private final KubernetesClient client;
    private final ClusterNetworkSource target;
    private final List<ClusterDiscoverySource> sources;
    private final Map<String, String> lastState = new HashMap<>();
    private final Map<String, ClusterDiscoverySource.Watch> watches = new ConcurrentHashMap<>();
    /** Sources with a refresh from their watch's cache queued (a burst of events costs one). */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService scheduler;
    private boolean closed;

    public ClusterNetworkDiscovery(KubernetesClient client, ClusterNetworkSource target) {
        this(client, target, SOURCES);
    }

    ClusterNetworkDiscovery(KubernetesClient client, ClusterNetworkSource target, List<ClusterDiscoverySource> sources) {
        this.client = client;
        this.target = target;
        this.sources = List.copyOf(sources);
        for (ClusterDiscoverySource source : this.sources) {
            target.state(source.name(), "not read yet");
        }
    }

    /** Reads now, then every {@code period}, on a daemon thread; watches the sources that can be watched. */
    public synchronized void start(Duration period) {
        if (scheduler != null || closed) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netattach-cluster-networks");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1000, period.toMillis());
        scheduler.scheduleWithFixedDelay(this::refreshAndWatch, 0, millis, TimeUnit.MILLISECONDS);
    }

    /** Reads every source once from the API server and updates the target. Never throws. */
    public synchronized void refresh() {
        for (ClusterDiscoverySource source : sources) {
            apply(source, () -> source.read(client));
        }
    }

    /** {@link #refresh()}, then opens the watches the results allow. */
    private void refreshAndWatch() {
        Map<String, Boolean> read = new HashMap<>();
        synchronized (this) {
            for (ClusterDiscoverySource source : sources) {
                read.put(source.name(), apply(source, () -> source.read(client)));
            }
        }
        for (ClusterDiscoverySource source : sources) {
            Boolean found = read.get(source.name());
            if (found != null && (found || source.watchWhenAbsent())) {
                watch(source);
            }
        }
    }

    /**
     * Applies one read of {@code source}. Returns true when it found the source, false when the API
     * server answered that it is absent or gives nothing, null when it could not be read.
     */
    private Boolean apply(ClusterDiscoverySource source, Supplier<Optional<ClusterNetworkSource.Contribution>> read) {
        String name = source.name();
        try {
            Optional<ClusterNetworkSource.Contribution> found = read.get();
            if (found.isPresent() && !(found.get().podNetworks().isEmpty() && found.get().serviceNetworks().isEmpty())) {
                target.update(name, found.get());
                String text = "found: " + target.describe().get(name);
                target.state(name, text);
                state(name, text, false);
                return true;
            }
            notFound(name, found.isPresent() ? "found, but it names no network" : "not found");
            return found.isPresent();
        } catch (IllegalArgumentException e) {
            target.update(name, null);
            target.state(name, "malformed: " + e.getMessage());
            state(name, "malformed, ignored: " + e.getMessage(), true);
            return true;
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            if (code == 404 || code == 403 || code == 401) {
                notFound(name, "not found (" + (code == 404 ? "404" : code + ", not permitted") + ")");
                return false;
            }
            unreachable(name, reason(e));
            return null;
        } catch (RuntimeException e) {
            unreachable(name, reason(e));
            return null;
        }
    }

    /** A transient failure: keep what the source last gave, and say so. */
    private void unreachable(String name, String reason) {
        String kept = target.describe().get(name);
        target.state(name, kept == null ? "unreachable: " + reason : "found: " + kept + " (last read failed, kept: " + reason + ")");
        state(name, "not read, keeping the last result: " + reason, true);
    }

    private void notFound(String name, String why) {
        target.update(name, null);
        target.state(name, why);
        state(name, why, false);
    }

    /** Opens a watch on {@code source} when it has none and can be watched. */
    private void watch(ClusterDiscoverySource source) {
        String name = source.name();
        synchronized (this) {
            if (closed || watches.containsKey(name)) {
                return;
            }
            ClusterDiscoverySource.Watch watch;
            try {
                watch = source.watch(client, () -> changed(source));
            } catch (RuntimeException e) {
                LOG.warnf("cluster networks: %s: cannot watch, re-reading every refresh period: %s", name, reason(e));
                return;
            }
            if (watch == null) {
                return;
            }
            watches.put(name, watch);
            watch.informer().exceptionHandler((started, t) -> {
                if (t instanceof KubernetesClientException k && (k.getCode() == 403 || k.getCode() == 404 || k.getCode() == 401)) {
                    LOG.infof("cluster networks: %s: watch refused (%d), re-reading every refresh period", name, k.getCode());
                    execute(() -> unwatch(name, watch));
                    return false;
                }
                LOG.debugf("cluster networks: %s: watch failed, retrying: %s", name, t.toString());
                return true; // the informer retries with back-off; the periodic re-read still runs
            });
            watch.informer().start().whenComplete((ok, error) -> {
                if (error == null) {
                    target.watched(name, true);
                    LOG.infof("cluster networks: %s: watching", name);
                } else {
                    execute(() -> unwatch(name, watch));
                }
            });
        }
    }

    private synchronized void unwatch(String name, ClusterDiscoverySource.Watch watch) {
        if (watches.remove(name, watch)) {
            watch.informer().stop();
            target.watched(name, false);
        }
    }

    /** An event of {@code source}'s watch: re-reads it from the watch's cache, once per burst. */
    private void changed(ClusterDiscoverySource source) {
        if (pending.add(source.name())) {
            execute(() -> {
                pending.remove(source.name());
                ClusterDiscoverySource.Watch watch = watches.get(source.name());
                if (watch == null) {
                    return;
                }
                if (!watch.informer().hasSynced()) {
                    later(() -> changed(source)); // its cache is partial until the first list completes
                    return;
                }
                synchronized (this) {
                    apply(source, watch.cached());
                }
            });
        }
    }

    private void execute(Runnable task) {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
        }
        if (s == null) {
            task.run();
            return;
        }
        try {
            s.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void later(Runnable task) {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
        }
        if (s != null) {
            try {
                s.schedule(task, 200, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
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

    /** The first line of the failure and its root cause ({@code ConnectException: Connection refused}). */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String head = firstLine(e.getMessage());
        if (root == e) {
            return head.isEmpty() ? e.getClass().getSimpleName() : head;
        }
        String cause = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage()));
        return head.isEmpty() ? cause : head + " (" + cause + ")";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").replaceAll("\\s+", " ").strip();
    }

    @Override
    public void close() {
        List<ClusterDiscoverySource.Watch> open;
        synchronized (this) {
            closed = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
            open = List.copyOf(watches.values());
            watches.clear();
        }
        for (ClusterDiscoverySource.Watch w : open) {
            w.informer().stop();
        }
        for (ClusterDiscoverySource source : sources) {
            target.watched(source.name(), false);
        }
    }
}
