package io.netattach.admission;

/**
 * One admission endpoint. Implementations are CDI beans ({@code @ApplicationScoped}); the
 * {@link AdmissionRoutes} edge mounts every one of them at {@link #path()} and does all the HTTP:
 * method, content type, body cap, AdmissionReview decoding, uid/apiVersion echo, response encoding,
 * metrics. A handler is a pure function from the decoded request to a response, in the spirit of
 * controller-runtime's {@code admission.Handler}; it must not throw (if it does, the edge answers
 * with an error review, never an HTTP 500).
 */
public interface AdmissionHandler {

    /** Absolute HTTP path, e.g. {@code /validate/network-attachment-definitions}. */
    String path();

    /**
     * Runs on a Vert.x event loop unless {@link #blocking()}: keep it CPU-only and short (validation
     * and injection are pure functions over in-memory data).
     */
    AdmissionResponse handle(AdmissionRequest request);

    /** {@code true} to run {@link #handle} on a worker thread (e.g. when it may wait for I/O). */
    default boolean blocking() {
        return false;
    }
}
