package io.netattach.cni;

import java.util.Optional;

/**
 * Linux interface names, the one check for every interface name (pod {@code CNI_IFNAME}, macvlan {@code master},
 * VLAN sub-interfaces, names requested in the networks annotation): 1-15 bytes of UTF-8 (the kernel's
 * IFNAMSIZ is 16 bytes including the terminating NUL), no '/', ':' or whitespace, not "." or "..".
 */
public final class InterfaceName {

    /** The kernel's IFNAMSIZ: the name buffer, terminating NUL included. */
    public static final int IFNAMSIZ = 16;
    /** Longest name in bytes of UTF-8: IFNAMSIZ - 1. */
    public static final int MAX_LENGTH = IFNAMSIZ - 1;

    private InterfaceName() {
    }

    /** Why {@code name} is not a valid interface name, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("it is empty");
        }
        int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_LENGTH) {
            return Optional.of("it is " + bytes + " bytes long, the limit is " + MAX_LENGTH + " bytes of UTF-8");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("\".\" and \"..\" are not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':') {
                return Optional.of("it contains \"" + c + "\"");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of("it contains whitespace or a control character");
            }
        }
        return Optional.empty();
    }

    /** Whether {@code name} is a valid interface name. */
    public static boolean isValid(String name) {
        return problem(name).isEmpty();
    }
}
