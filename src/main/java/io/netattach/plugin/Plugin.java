package io.netattach.plugin;

import io.netattach.cni.CniVersion;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;

import java.util.List;
import java.util.Set;

/**
 * A CNI plugin as the {@link Skeleton} drives it. The skeleton has already validated the
 * environment, parsed stdin into a {@link NetConf}, and checked the config's {@code cniVersion}
 * against {@link #supportedVersions()} and the verb; a handler only does the work.
 *
 * <p>Report failures by throwing {@link io.netattach.cni.CniException} (code and message are printed
 * as the CNI error object); any other exception becomes code 999 with its message. Never print to
 * stdout. Register new plugins in {@link Plugins}.
 */
public interface Plugin {

    /** The binary name: {@code route-override}, {@code macvlan}, {@code static}. */
    String name();

    /** Versions this plugin accepts in {@code cniVersion}; all released versions by default. */
    default List<CniVersion> supportedVersions() {
        return List.of(CniVersion.values());
    }

    /** CNI_ARGS keys this plugin understands (besides {@link CniArgs#COMMON_KEYS}). */
    default Set<String> knownArgs() {
        return Set.of();
    }

    /** ADD: returns the result, which the skeleton prints converted to the config's version. */
    Result add(CniRequest request, NetConf conf);

    /** DEL: must succeed when the netns, the interface or prevResult is gone, and when called twice. */
    void del(CniRequest request, NetConf conf);

    /** CHECK (config version >= 0.4.0): throw when the attachment is not as ADD left it. */
    void check(CniRequest request, NetConf conf);

    /** STATUS (>= 1.1.0): throw code 50/51 when not ready. Ready by default. */
    default void status(CniRequest request, NetConf conf) {
    }

    /** GC (>= 1.1.0): release resources of attachments not in {@code cni.dev/valid-attachments}. */
    default void gc(CniRequest request, NetConf conf) {
    }
}
