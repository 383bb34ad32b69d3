package io.netattach.plugin;

import io.netattach.cni.CniVersion;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CNI verbs and the environment variables each requires (the reference skel's matrix):
 * ADD/CHECK need CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH; DEL the same without CNI_NETNS;
 * GC and STATUS only CNI_COMMAND and CNI_PATH; VERSION only CNI_COMMAND.
 */
public enum Command {
    ADD(CniVersion.V0_1_0, "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"),
    DEL(CniVersion.V0_1_0, "CNI_CONTAINERID", "CNI_IFNAME", "CNI_PATH"),
    CHECK(CniVersion.V0_4_0, "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH"),
    STATUS(CniVersion.V1_1_0, "CNI_PATH"),
    GC(CniVersion.V1_1_0, "CNI_PATH"),
    VERSION(CniVersion.V0_1_0);

    private final CniVersion since;
    private final List<String> required;

    Command(CniVersion since, String... required) {
        this.since = since;
        this.required = List.of(required);
    }

    /** The first spec version that has this verb (CHECK 0.4.0; STATUS, GC 1.1.0). */
    public CniVersion since() {
        return since;
    }

    /** Environment variables required besides CNI_COMMAND, in the order they are reported. */
    public List<String> requiredEnvironment() {
        return required;
    }

    /** Whether this verb works on one attachment (container id and interface name). */
    public boolean isAttachment() {
        return this == ADD || this == DEL || this == CHECK;
    }

    public static Optional<Command> parse(String text) {
        return Arrays.stream(values()).filter(c -> c.name().equals(text)).findFirst();
    }

    /** All environment variable names of the protocol. */
    public static final Set<String> ENVIRONMENT =
            Set.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH");
}
