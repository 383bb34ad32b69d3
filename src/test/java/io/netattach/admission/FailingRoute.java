package io.netattach.admission;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Test-only Vert.x route that throws: proves the router-wide failure handler hides stack traces. */
@ApplicationScoped
public class FailingRoute {

    static final String PATH = "/test/route-failure";

    void mount(@Observes Router router) {
        router.get(PATH).handler(ctx -> {
            throw new IllegalStateException("deliberate failure in a test route: secret internals");
        });
    }
}
