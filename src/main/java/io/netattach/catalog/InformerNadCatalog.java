package io.netattach.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NamespaceNads;
import io.netattach.plan.SegmentIndex;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * In-cluster catalog: fabric8 informers on {@code k8s.cni.cncf.io/v1 network-attachment-definitions}
 * as {@link GenericKubernetesResource} (no CRD classes, no discovery call), in all namespaces or in
 * each configured namespace.
 *
 * <p>RBAC: this class performs only {@code list} and {@code watch} on
 * {@code network-attachment-definitions} (group {@code k8s.cni.cncf.io}) — cluster-wide with a
 * ClusterRole, or a Role per namespace when {@code netattach.catalog.namespaces} is set; grant
 * {@code get} too (kubectl and future lookups). {@code /validate/pods} and {@code /mutate/pods} read
 * only this in-memory catalog, never the API server, so they need nothing more.
 *
 * <p>Memory: the informers list in pages of {@link #LIST_PAGE} NADs, and their store keeps each NAD as
 * fetched minus its managedFields and its last-applied-configuration annotation ({@link #lean}).
 *
 * <p>Indexes: the informers' cache keeps fabric8's {@code namespace} index only; the parsed view is a
 * {@link CatalogIndex} per namespace (selectors parsed once, grouped, ranked), rebuilt lazily from the
 * namespace index after an event in that namespace. Parsed {@link NadInfo}s are cached per
 * resourceVersion. A {@link SegmentIndex} (static macvlan addresses by master and VLAN, all watched
 * namespaces) is updated on each NAD event.
 *
 * <p>Readiness: not ready until every informer has synced and the segment index holds every NAD listed
 * (filled from the stores once, on its own thread, since the informers' handlers may lag). Watch and list errors are logged and
 * retried by the informer (with back-off), never fatal. {@link #connection()} tells a watch that
 * never opened yet ({@code connecting}, right after start) from one that was lost
 * ({@code reconnecting}).
 */
public final class InformerNadCatalog implements NadCatalog {

    private static final Logger LOG = Logger.getLogger(InformerNadCatalog.class);

    public static final ResourceDefinitionContext NAD_CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("k8s.cni.cncf.io")
            .withVersion("v1")
            .withKind("NetworkAttachmentDefinition")
            .withPlural("network-attachment-definitions")
            .withNamespaced(true)
            .build();

    /**
     * NADs per page of the informer's list (initial sync and relist): the pages are stored as they arrive,
     * so the sync never holds the whole list of a large cluster at once beside the store.
     */
    static final long LIST_PAGE = 500;

    private record Parsed(String resourceVersion, NadInfo info) {
    }

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final CatalogIndex index;
    private final SegmentIndex segments = new SegmentIndex();
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    /** Informers whose watch has been open at least once: until then a closed watch is not a lost one. */
    private final Set<SharedIndexInformer<GenericKubernetesResource>> everWatched = ConcurrentHashMap.newKeySet();
    private volatile boolean synced;
    /** The one-off fill of the segment index from the synced stores has started (see {@link #ready()}). */
    private final AtomicBoolean filling = new AtomicBoolean();

    /**
     * @param namespaces the namespaces to watch; empty for all namespaces
     */
    public InformerNadCatalog(KubernetesClient client, List<String> namespaces, Consumer<String> problemSink) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespaces = List.copyOf(namespaces);
        this.index = new CatalogIndex(this::load, problemSink);
    }

    @Override
    public synchronized void start() {
        if (!informers.isEmpty()) {
            return;
        }
        if (namespaces.isEmpty()) {
            informers.add(informer(client.genericKubernetesResources(NAD_CONTEXT).inAnyNamespace().withLimit(LIST_PAGE).runnableInformer(0), "all namespaces"));
        } else {
            for (String ns : namespaces) {
                informers.add(informer(client.genericKubernetesResources(NAD_CONTEXT).inNamespace(ns).withLimit(LIST_PAGE).runnableInformer(0), "namespace " + ns));
            }
        }
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            informer.start().whenComplete((ok, error) -> {
                if (error == null && informer.isWatching()) {
                    everWatched.add(informer);
                }
                if (error != null) {
                    LOG.warnf("NAD informer stopped: %s", error.toString());
                } else {
                    LOG.infof("NAD informer synced (%d NADs known)", size());
                }
            });
        }
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(SharedIndexInformer<GenericKubernetesResource> informer, String scope) {
        informer.itemStore(new TrimmingItemStore<>(InformerNadCatalog::lean));
        informer.exceptionHandler((started, t) -> {
            if (started) { // fabric8: the informer had started (listed and watched) before this failure
                everWatched.add(informer);
            }
            LOG.warnf("NAD watch (%s) failed, retrying: %s", scope, t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource r) {
                changed(r);
            }

            @Override
            public void onUpdate(GenericKubernetesResource oldR, GenericKubernetesResource newR) {
                changed(newR);
            }

            @Override
            public void onDelete(GenericKubernetesResource r, boolean finalStateUnknown) {
                String ns = r.getMetadata().getNamespace();
                String name = r.getMetadata().getName();
                parsed.remove(ns + "/" + name);
                segments.remove(ns + "/" + name);
                index.forget(ns, name);
                index.invalidate(ns);
            }
        });
        return informer;
    }

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /**
     * A NAD as the informer's store keeps it, without what nothing here reads:
     * {@code metadata.managedFields} (a nested map per field manager, most of a stored NAD's heap) and the
     * {@code kubectl.kubernetes.io/last-applied-configuration} annotation (a second copy of the whole NAD,
     * config included, on every NAD created by {@code kubectl apply}). The objects come fresh from a list
     * or watch and are owned by the informer, so they are trimmed in place.
     */
    static GenericKubernetesResource lean(GenericKubernetesResource r) {
        var metadata = r.getMetadata();
        if (metadata != null) {
            metadata.setManagedFields(null);
            Map<String, String> annotations = metadata.getAnnotations();
            if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
                Map<String, String> kept = new java.util.LinkedHashMap<>(annotations);
                kept.remove(LAST_APPLIED);
                metadata.setAnnotations(kept);
            }
        }
        return r;
    }

    private void changed(GenericKubernetesResource r) {
        NadInfo info = parse(r);
        if (info != null) {
            index.noteProblems(info);
            segments.put(info); // plans the NAD once per change, on the informer's event thread
        }
        index.invalidate(r.getMetadata().getNamespace());
    }

    private NadInfo parse(GenericKubernetesResource r) {
        if (r.getMetadata() == null || r.getMetadata().getName() == null) {
            return null;
        }
        String key = r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
        String version = r.getMetadata().getResourceVersion();
        Parsed cached = parsed.get(key);
        if (cached != null && version != null && version.equals(cached.resourceVersion())) {
            return cached.info();
        }
        JsonNode tree = client.getKubernetesSerialization().convertValue(r, JsonNode.class);
        NadInfo info = NadInfo.fromManifest(tree, r.getMetadata().getNamespace());
        if (info != null) {
            parsed.put(key, new Parsed(version, info));
        }
        return info;
    }

    /** The NADs of one namespace, from the informers' namespace index. */
    private Collection<NadInfo> load(String namespace) {
        List<NadInfo> result = new ArrayList<>();
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            for (GenericKubernetesResource r : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
                NadInfo info = parse(r);
                if (info != null) {
                    result.add(info);
                }
            }
        }
        return result;
    }

    @Override
    public NamespaceNads namespace(String namespace) {
        return index.namespace(namespace);
    }

    @Override
    public SegmentIndex segments() {
        return segments;
    }

    @Override
    public boolean covers(String namespace) {
        return ready() && (namespaces.isEmpty() || namespaces.contains(namespace));
    }

    @Override
    public boolean ready() {
        if (synced) {
            return true;
        }
        List<SharedIndexInformer<GenericKubernetesResource>> current = List.copyOf(informers);
        if (current.isEmpty()) {
            return false;
        }
        for (SharedIndexInformer<GenericKubernetesResource> informer : current) {
            if (!informer.hasSynced()) {
                return false;
            }
        }
        // Synced means the informers' stores hold the whole list; their event handlers may still be working
        // through it (for 100,000 NADs, seconds). The segment index must not miss a NAD the moment the
        // webhook is ready, so it is filled from the stores once, off the caller's thread (an admission
        // event loop may be asking), and the catalog is ready when that is done.
        if (filling.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("netattach-nad-segments").start(() -> fill(current));
        }
        return false;
    }

    /** Indexes every stored NAD (unchanged ones cost a map lookup), then marks the catalog synced. */
    private void fill(List<SharedIndexInformer<GenericKubernetesResource>> current) {
        try {
            long start = System.nanoTime();
            int n = 0;
            for (SharedIndexInformer<GenericKubernetesResource> informer : current) {
                for (GenericKubernetesResource r : informer.getStore().list()) {
                    NadInfo info = parse(r);
                    if (info == null) {
                        continue;
                    }
                    segments.put(info);
                    n++;
                    // changed or deleted meanwhile, its event possibly handled already: the store has the last word
                    GenericKubernetesResource now = informer.getStore().getByKey(Cache.metaNamespaceKeyFunc(r));
                    NadInfo last = now == null ? null : now == r ? info : parse(now);
                    if (last == null) {
                        segments.remove(info.key());
                    } else if (last != info) {
                        segments.put(last);
                    }
                }
            }
            index.invalidateAll(); // whatever was read before the sync was partial
            synced = true;
            LOG.infof("NAD catalog ready: %d NADs in the segment index after %d ms", n, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warnf("NAD catalog: indexing the synced NADs failed, retrying at the next readiness check: %s", e.toString());
            filling.set(false);
        }
    }

    @Override
    public boolean connected() {
        return connection() == Connection.CONNECTED;
    }

    @Override
    public Connection connection() {
        List<SharedIndexInformer<GenericKubernetesResource>> current = List.copyOf(informers);
        if (current.isEmpty()) {
            return Connection.CONNECTING;
        }
        boolean all = true;
        boolean neverOpened = false;
        for (SharedIndexInformer<GenericKubernetesResource> informer : current) {
            if (informer.isWatching()) {
                everWatched.add(informer);
            } else {
                all = false;
                neverOpened |= !everWatched.contains(informer);
            }
        }
        return all ? Connection.CONNECTED : neverOpened ? Connection.CONNECTING : Connection.RECONNECTING;
    }

    @Override
    public String status() {
        String scope = namespaces.isEmpty() ? "all namespaces" : "namespaces " + String.join(",", namespaces);
        Connection connection = connection();
        if (!ready()) {
            return "NAD informer not synced yet (" + scope + ")"
                    + (connection == Connection.RECONNECTING ? "; watch to the API server lost, reconnecting" : "; connecting to the API server");
        }
        String state = size() + " NADs from the API server (" + scope + ")";
        return switch (connection) {
            case CONNECTED -> state;
            case CONNECTING -> state + "; listed, connecting the watch to the API server";
            case RECONNECTING -> state + "; watch to the API server lost, serving the last synced state while reconnecting";
        };
    }

    @Override
    public int size() {
        int n = 0;
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            n += informer.getStore().list().size();
        }
        return n;
    }

    @Override
    public int invalidAnnotations() {
        return index.invalidAnnotations();
    }

    /** Namespaces this catalog watches; empty for all. */
    public Set<String> namespaces() {
        return Set.copyOf(namespaces);
    }

    @Override
    public synchronized void close() {
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            informer.stop();
        }
        informers.clear();
        everWatched.clear();
        segments.replaceAll(List.of());
        synced = false;
        filling.set(false);
    }
}
