package io.netattach.admission;

import jakarta.inject.Singleton;

/** Test-only handler that always throws: proves the edge turns a handler bug into a review, not an HTTP 500. */
@Singleton
public class FailingHandler implements AdmissionHandler {

    static final String PATH = "/test/failing-handler";

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public AdmissionResponse handle(AdmissionRequest request) {
        throw new IllegalStateException("deliberate failure in a test handler");
    }
}
