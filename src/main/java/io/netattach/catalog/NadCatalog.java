package io.netattach.catalog;

import io.netattach.injection.NadLookup;
import io.netattach.plan.SegmentIndex;

/**
 * The NetworkAttachmentDefinitions the webhook knows, indexed per namespace for injection and pod
 * validation. Two implementations: {@link InformerNadCatalog} (a fabric8 informer, in a cluster) and
 * {@link DirectoryNadCatalog} (a directory of manifests, standalone). {@link CatalogProducer} picks one.
 *
 * <p>Every read is served from memory; no implementation calls the API server per admission request.
 */
public interface NadCatalog extends NadLookup, AutoCloseable {

    /** Whether the catalog holds a complete view (informers synced, directory read). */
    boolean ready();

    /** Why the catalog is not ready, or a short description of its state when it is. */
    String status();

    /**
     * Whether the catalog is connected to its source: for informers, every watch is open. A ready
     * catalog that lost its watch keeps serving its last synced state (and says so in
     * {@link #status()}) while it reconnects.
     */
    default boolean connected() {
        return true;
    }

    /**
     * The catalog's link to its source, as readiness reports it: {@code connecting} until the first
     * watch opened (nothing was ever lost), {@code connected}, {@code reconnecting} after a watch that
     * was open was lost. Sources without a connection (a directory) are always {@code connected}.
     */
    enum Connection {
        CONNECTING, CONNECTED, RECONNECTING;

        /** The lower-case name readiness shows. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Where the link to the source stands; {@link #connected()} is {@code connection() == CONNECTED}. */
    default Connection connection() {
        return connected() ? Connection.CONNECTED : Connection.RECONNECTING;
    }

    /**
     * The static addresses of the catalog's macvlan NADs by master and VLAN, across all the namespaces
     * the catalog holds, kept current with it (NAD admission warns about an address another NAD hands
     * out on the same segment).
     */
    SegmentIndex segments();

    /** Number of NADs known. */
    int size();

    /** Number of NADs whose netattach.io annotations are unusable (invalid selector, interface or order). */
    int invalidAnnotations();

    /** Starts watching or loading; returns without waiting for the first sync. */
    void start();

    @Override
    void close();
}
