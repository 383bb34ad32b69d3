package io.netattach.plugin.staticipam;

/** A static IPAM failure with a CNI error code and a one-line message naming the field and value. */
public final class StaticIpamException extends Exception {

    private final int code;

    public StaticIpamException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
