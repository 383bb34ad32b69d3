package io.netattach.cni;

/** A failure that a plugin reports as a CNI error object ({@link CniError}). */
public final class CniException extends RuntimeException {
    private final transient CniError error;

    public CniException(CniError error) {
        super(error.toString());
        this.error = error;
    }

    public CniException(CniError error, Throwable cause) {
        super(error.toString(), cause);
        this.error = error;
    }

    public CniException(int code, String msg) {
        this(new CniError(code, msg));
    }

    public CniException(int code, String msg, String details) {
        this(new CniError(code, msg, details));
    }

    public CniError error() {
        return error;
    }

    public int code() {
        return error.code();
    }

    /** Code 7: invalid network configuration. */
    public static CniException config(String msg) {
        return new CniException(CniError.CODE_INVALID_NETWORK_CONFIG, msg);
    }

    /** Code 6: content could not be decoded. */
    public static CniException decode(String msg) {
        return new CniException(CniError.CODE_DECODE_FAILURE, msg);
    }

    /** Code 999: an operation failed (kernel error and the like). */
    public static CniException internal(String msg) {
        return new CniException(CniError.CODE_INTERNAL, msg);
    }
}
