package io.netattach.plugin.chain;

import io.netattach.cni.CniException;

import java.util.Map;

/**
 * Runs one plugin for one verb: the way the chain runner reaches plugins. {@link ExecPluginInvoker}
 * executes binaries found in a CNI_PATH (as libcni does); tests may run plugins in process.
 */
@FunctionalInterface
public interface PluginInvoker {

    /**
     * Runs plugin {@code type} with the request config {@code stdin} and the CNI_* environment {@code env}.
     *
     * @return the plugin's stdout on success (exit 0)
     * @throws CniException with the plugin's error object when it fails
     */
    String invoke(String type, String stdin, Map<String, String> env);
}
