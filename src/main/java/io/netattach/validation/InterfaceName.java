package io.netattach.validation;

import java.util.Optional;

/** Linux interface names as the CNI library checks {@code CNI_IFNAME}: 1-15 bytes, no '/', ':' or whitespace, not "." or "..". */
public final class InterfaceName {

    /** IFNAMSIZ - 1. */
    public static final int MAX_LENGTH = 15;

    private InterfaceName() {
    }

    /** Why {@code name} is not a valid interface name, or empty when it is. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return Optional.of("it is longer than " + MAX_LENGTH + " characters");
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
}
