package io.netattach.validation;

/** What a CNI plugin type does in a chain. */
public enum PluginKind {
    /** Creates (or moves) the container interface: must come first, at most one per chain. */
    INTERFACE("interface-creating"),
    /** Works on the previous plugin's result (needs prevResult): must not be first. */
    CHAINED("chained-only"),
    /** An IPAM plugin: belongs in a plugin's {@code ipam} object, not in the chain. */
    IPAM("IPAM");

    private final String label;

    PluginKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The label with its indefinite article: "an interface-creating", "a chained-only", "an IPAM". */
    public String withArticle() {
        return (this == CHAINED ? "a " : "an ") + label;
    }
}
