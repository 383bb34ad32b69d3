package io.netattach.admission;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Last line of defence for REST endpoints (the admission routes have their own failure handler):
 * any exception becomes a Kubernetes {@code Status} JSON body without stack trace; client errors keep
 * their status, anything else is logged and answered 500 InternalError.
 */
public class LastResortExceptionMapper {

    private static final Logger LOG = Logger.getLogger(LastResortExceptionMapper.class);

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response map(Throwable failure) {
        HttpProblem problem;
        if (failure instanceof WebApplicationException wae && wae.getResponse() != null
                && wae.getResponse().getStatus() < 500) {
            int code = wae.getResponse().getStatus();
            Response.Status.Family family = Response.Status.Family.familyOf(code);
            String reason = family == Response.Status.Family.CLIENT_ERROR ? reasonOf(code) : "Unknown";
            problem = new HttpProblem(code, reason, wae.getMessage() == null ? "HTTP " + code : firstLine(wae.getMessage()));
        } else {
            LOG.error("unexpected failure in a REST endpoint", failure);
            problem = HttpProblem.internalError("internal error (" + failure.getClass().getSimpleName()
                    + "); the server log has the details");
        }
        return Response.status(problem.code()).type(MediaType.APPLICATION_JSON_TYPE).entity(problem.toJson()).build();
    }

    private static String reasonOf(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 409 -> "Conflict";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            default -> "BadRequest";
        };
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
