package io.netattach.netlink;

/** A network namespace path that cannot be used: missing, not a netns, or not enterable. */
public final class NetnsException extends RuntimeException {

    /** Why the namespace cannot be used. */
    public enum Kind {
        /** The path does not exist (the container is gone): DEL treats this as done. */
        MISSING,
        /** The path exists but is not an nsfs network namespace file. */
        NOT_A_NETNS,
        /** Opening or entering failed otherwise (permission, ...). */
        FAILED
    }

    private final Kind kind;
    private final String path;

    public NetnsException(Kind kind, String path, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.path = path;
    }

    public Kind kind() {
        return kind;
    }

    public String path() {
        return path;
    }
}
