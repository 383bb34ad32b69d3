package io.netattach.validation;

/**
 * Switches of the NAD validator.
 *
 * @param upstreamPlugins the cluster runs the upstream (Go) plugins rather than netattach's: warn
 *                        about fields they silently ignore, such as macvlan {@code vlan}
 *                        ({@code netattach.validation.upstream-plugins})
 * @param maxConfigBytes  largest accepted {@code spec.config}, in bytes
 */
public record ValidationOptions(boolean upstreamPlugins, int maxConfigBytes) {

    public static final int DEFAULT_MAX_CONFIG_BYTES = 1024 * 1024;

    public static ValidationOptions defaults() {
        return new ValidationOptions(false, DEFAULT_MAX_CONFIG_BYTES);
    }
}
