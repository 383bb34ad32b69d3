package io.netattach.admission;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** Test-only REST resource whose methods throw: proves {@link LastResortExceptionMapper} hides stack traces. */
@Path("/test/rest-failure")
public class FailingResource {

    @GET
    @Path("/{kind}")
    public String fail(@PathParam("kind") String kind) {
        if (kind.equals("not-found")) {
            throw new NotFoundException("no such thing");
        }
        throw new IllegalStateException("deliberate failure in a test resource: secret internals");
    }
}
