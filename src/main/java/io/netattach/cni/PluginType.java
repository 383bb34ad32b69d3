package io.netattach.cni;

import java.util.Optional;

/**
 * A plugin {@code type} (also {@code ipam.type}) names an executable the runtime runs from its CNI_PATH: it
 * must be a plain file name. {@code /}, {@code \} and {@code ..} would let a config run a program outside the
 * CNI bin directory (CVE-2021-20206); whitespace and control characters are never part of a plugin's name.
 * The one check, used by the validator and by the plugins that delegate to an IPAM plugin.
 */
public final class PluginType {

    private PluginType() {
    }

    /** Why {@code type} is not a plain plugin file name (a phrase to follow the quoted type), or empty when it is one. */
    public static Optional<String> problem(String type) {
        if (type.isEmpty()) {
            return Optional.of("is empty: it names the plugin binary to run");
        }
        if (type.indexOf('/') >= 0 || type.indexOf('\\') >= 0 || type.contains("..")) {
            return Optional.of("is not a plain file name: \"/\", \"\\\" and \"..\" allow path traversal "
                    + "out of the CNI bin directory (CVE-2021-20206)");
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of("is not a plain file name: it contains whitespace or a control character");
            }
        }
        return Optional.empty();
    }
}
