package io.netattach.admission;

import io.netattach.validation.ValidationOptions;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code netattach.validation.*}: the switches of the NAD validator, read by the edge and handed to
 * the pure core as {@link ValidationOptions}.
 */
@ConfigMapping(prefix = "netattach.validation")
public interface ValidationConfig {

    /** The cluster runs the upstream (Go) CNI plugins: warn about fields they ignore, such as macvlan {@code vlan}. */
    @WithDefault("false")
    boolean upstreamPlugins();

    /** Largest accepted {@code spec.config}, in bytes. */
    @WithDefault("" + ValidationOptions.DEFAULT_MAX_CONFIG_BYTES)
    int maxConfigBytes();

    default ValidationOptions toOptions() {
        return new ValidationOptions(upstreamPlugins(), maxConfigBytes());
    }
}
