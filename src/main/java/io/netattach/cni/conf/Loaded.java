package io.netattach.cni.conf;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.Finding;

import java.util.List;
import java.util.Optional;

/**
 * What a plugin config loader made of a config: the config when it loads (no ERROR finding), and every
 * finding about it, paths relative to the plugin object ({@code /mtu}, {@code /ipam/addresses/0/address}).
 * The validator reports the findings under the plugin's path in the NAD; the plugin at ADD time calls
 * {@link #orThrow()}.
 */
public record Loaded<T>(Optional<T> config, List<Finding> findings) {

    public Loaded {
        findings = List.copyOf(findings);
        if (config.isPresent() && findings.stream().anyMatch(Finding::isError)) {
            throw new IllegalArgumentException("a config with ERROR findings does not load");
        }
    }

    static <T> Loaded<T> of(T config, List<Finding> findings) {
        return findings.stream().anyMatch(Finding::isError)
                ? new Loaded<>(Optional.empty(), findings) : new Loaded<>(Optional.of(config), findings);
    }

    public boolean loads() {
        return config.isPresent();
    }

    public Optional<Finding> firstError() {
        return findings.stream().filter(Finding::isError).findFirst();
    }

    /**
     * The config, or a {@link CniException} with code 7 (invalid network config) whose message is the first
     * ERROR finding's message, the same words the webhook shows, and whose details name its path.
     */
    public T orThrow() {
        if (config.isPresent()) {
            return config.get();
        }
        Finding first = firstError().orElseThrow();
        throw new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, first.message(),
                first.path().isEmpty() ? "" : "at " + first.path() + " of the network config");
    }
}
