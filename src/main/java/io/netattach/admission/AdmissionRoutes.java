package io.netattach.admission;

import io.netattach.admission.AdmissionMetrics.Verdict;
import io.netattach.admission.AdmissionReviewCodec.Decoded;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The admission HTTP edge: mounts every {@link AdmissionHandler} bean as a Vert.x route and does,
 * in one place and in this order, everything between the socket and the handler:
 *
 * <ol>
 *   <li>method POST, else 405 (with {@code Allow: POST});</li>
 *   <li>{@code Content-Type: application/json} (parameters allowed, charset UTF-8 if given), else 415;</li>
 *   <li>body at most {@value #MAX_BODY_BYTES} bytes (3 MiB, checked on Content-Length up front and
 *       while streaming), else 413; a client sending {@code Expect: 100-continue} gets its
 *       {@code 100 Continue} only once these checks passed;</li>
 *   <li>body an {@code admission.k8s.io/v1} AdmissionReview with {@code request.uid}, else 400;</li>
 *   <li>the handler's {@link AdmissionResponse} written as an AdmissionReview with apiVersion,
 *       kind and uid echoed.</li>
 * </ol>
 *
 * HTTP refusals carry a Kubernetes {@code Status} JSON body. No input yields an HTTP 500 or a stack
 * trace: a handler that throws is logged and answered with a denying review (status 500
 * InternalError inside the review, HTTP 200). Every answer is counted in {@link AdmissionMetrics}.
 */
@ApplicationScoped
public class AdmissionRoutes {

    private static final Logger LOG = Logger.getLogger(AdmissionRoutes.class);

    /** Largest accepted request body: 3 MiB (the API server's own limit on objects is 3 MiB too). */
    public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    /** Most bytes of a refused request body read and discarded before the connection is closed instead. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence POST = HttpHeaders.createOptimized("POST");

    @Inject
    @Any
    Instance<AdmissionHandler> handlers;

    @Inject
    AdmissionMetrics metrics;

    private final List<String> paths = new ArrayList<>();

    void mount(@Observes Router router) {
        for (AdmissionHandler handler : handlers) {
            String path = handler.path();
            if (path == null || !path.startsWith("/")) {
                throw new IllegalStateException("admission handler " + handler.getClass().getName()
                        + " has path \"" + path + "\": it must start with /");
            }
            if (paths.contains(path)) {
                throw new IllegalStateException("two admission handlers claim the path " + path);
            }
            paths.add(path);
            Endpoint endpoint = new Endpoint(path, handler, metrics.forEndpoint(path));
            router.route(path)
                    .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                    .handler(endpoint::serve)
                    .failureHandler(endpoint::failed);
            LOG.debugf("admission endpoint POST %s -> %s", path, handler.getClass().getName());
        }
        // last line of defence for every other route (health, metrics, anything added later): a
        // failure becomes a Kubernetes Status body, never a stack trace (Quarkus shows one in dev/test)
        router.route().order(RouteConstants.ROUTE_ORDER_AFTER_DEFAULT).failureHandler(AdmissionRoutes::lastResort);
    }

    static void lastResort(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        int code = ctx.statusCode();
        HttpProblem problem;
        if (code >= 400 && code < 500) {
            problem = new HttpProblem(code, code == 404 ? "NotFound" : code == 413 ? "RequestEntityTooLarge" : "BadRequest",
                    "request refused (" + code + ")");
        } else {
            LOG.errorf(ctx.failure(), "unexpected failure serving %s %s", ctx.request().method(), ctx.request().path());
            problem = HttpProblem.internalError("internal error" + (ctx.failure() == null ? ""
                    : " (" + ctx.failure().getClass().getSimpleName() + ")") + "; the server log has the details");
        }
        response.setStatusCode(problem.code())
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .end(Buffer.buffer(problem.toJson()));
    }

    /** The mounted paths, in mount order. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** {@code application/json}, optionally with parameters; a charset, if given, must be UTF-8. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip().toLowerCase(Locale.ROOT);
            if (param.startsWith("charset=")) {
                String charset = param.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One mounted handler with its meters. */
    private static final class Endpoint {
        private final String path;
        private final AdmissionHandler handler;
        private final AdmissionMetrics.Endpoint meters;

        Endpoint(String path, AdmissionHandler handler, AdmissionMetrics.Endpoint meters) {
            this.path = path;
            this.handler = handler;
            this.meters = meters;
        }

        void serve(RoutingContext ctx) {
            long start = System.nanoTime();
            HttpServerRequest request = ctx.request();
            if (request.method() != HttpMethod.POST) {
                ctx.response().putHeader(HttpHeaders.ALLOW, POST);
                refuse(ctx, HttpProblem.methodNotAllowed(request.method().name(), path), start);
                return;
            }
            String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
            if (!isJson(contentType)) {
                refuse(ctx, HttpProblem.unsupportedMediaType(contentType), start);
                return;
            }
            long declared = -1;
            String contentLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (contentLength != null) {
                try {
                    declared = Long.parseLong(contentLength.strip());
                } catch (NumberFormatException e) {
                    refuse(ctx, HttpProblem.badRequest("Content-Length \"" + contentLength + "\" is not a number"), start);
                    return;
                }
                if (declared > MAX_BODY_BYTES) {
                    refuse(ctx, HttpProblem.tooLarge(declared, MAX_BODY_BYTES), start);
                    return;
                }
            }
            if (ctx.body().available()) { // a body handler upstream already read it
                Buffer body = ctx.body().buffer();
                if (body != null && body.length() > MAX_BODY_BYTES) {
                    refuse(ctx, HttpProblem.tooLarge(body.length(), MAX_BODY_BYTES), start);
                } else {
                    review(ctx, body == null ? new byte[0] : body.getBytes(), start);
                }
                return;
            }
            if (expectsContinue(request)) {
                ctx.response().writeContinue(); // the checks passed: let a waiting client send the body
            }
            BodyReader reader = new BodyReader(ctx, start, declared);
            request.handler(reader);
            request.endHandler(reader::end);
            request.exceptionHandler(reader::broken);
            request.resume();
        }

        /** Collects the body up to the cap, then reviews it. */
        private final class BodyReader implements Handler<Buffer> {
            private final RoutingContext ctx;
            private final long start;
            private final Buffer body;
            private boolean done;

            BodyReader(RoutingContext ctx, long start, long declared) {
                this.ctx = ctx;
                this.start = start;
                // Content-Length sizes the buffer, but only up to 64 KiB: a client announcing 3 MiB
                // and sending nothing must not reserve 3 MiB per connection
                this.body = Buffer.buffer(declared > 0 ? (int) Math.min(declared, 64 * 1024) : 4096);
            }

            @Override
            public void handle(Buffer chunk) {
                if (done) {
                    return;
                }
                if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                    done = true;
                    refuse(ctx, HttpProblem.tooLarge(-1, MAX_BODY_BYTES), start);
                    return;
                }
                body.appendBuffer(chunk);
            }

            void end(Void ignored) {
                if (done) {
                    return;
                }
                done = true;
                review(ctx, body.getBytes(), start);
            }

            void broken(Throwable failure) {
                done = true;
                LOG.debugf("admission request on %s broken off: %s", path, failure.toString());
            }
        }

        private void review(RoutingContext ctx, byte[] body, long start) {
            Decoded decoded = AdmissionReviewCodec.decode(body);
            if (decoded instanceof Decoded.Rejected rejected) {
                refuse(ctx, HttpProblem.badRequest(rejected.message()), start);
                return;
            }
            Decoded.Review review = (Decoded.Review) decoded;
            if (handler.blocking()) {
                ctx.vertx().executeBlocking(() -> answer(review), false)
                        .onComplete(result -> {
                            if (result.succeeded()) {
                                respond(ctx, result.result(), start);
                            } else {
                                respond(ctx, internalError(review, result.cause()), start);
                            }
                        });
            } else {
                respond(ctx, answer(review), start);
            }
        }

        /** The handler's verdict encoded; a handler failure becomes a denying review, never an HTTP 500. */
        private Answer answer(Decoded.Review review) {
            AdmissionResponse response;
            Verdict verdict;
            try {
                response = handler.handle(review.request());
                if (response == null) {
                    throw new IllegalStateException("handler returned no response");
                }
                verdict = response.allowed() ? Verdict.ALLOWED : Verdict.DENIED;
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                return internalError(review, e);
            }
            return new Answer(AdmissionReviewCodec.encode(review, response), verdict, response.findings());
        }

        private Answer internalError(Decoded.Review review, Throwable e) {
            LOG.errorf(e, "admission handler for %s failed on review %s (%s %s)", path, review.request().uid(),
                    review.request().operation(), review.request().displayName());
            AdmissionResponse failed = new AdmissionResponse(false, new AdmissionResponse.Status(500, "InternalError",
                    "netattach could not review " + review.request().displayName() + ": internal error ("
                            + e.getClass().getSimpleName() + "); the webhook log has the details under uid "
                            + review.request().uid(), List.of()), List.of(), null);
            return new Answer(AdmissionReviewCodec.encode(review, failed), Verdict.ERROR, AdmissionResponse.Tally.NONE);
        }

        private void respond(RoutingContext ctx, Answer answer, long start) {
            HttpServerResponse response = ctx.response();
            if (!response.closed() && !response.ended()) {
                response.putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(Buffer.buffer(answer.json()));
            }
            meters.record(answer.verdict(), answer.findings(), start);
        }

        /**
         * An HTTP-level refusal. A body not read yet is drained (discarded) rather than cut off, so
         * that a client still writing it then reads the answer instead of a broken pipe, and the
         * connection stays usable; past {@value #DRAIN_LIMIT} bytes the connection is closed.
         */
        private void refuse(RoutingContext ctx, HttpProblem problem, long start) {
            HttpServerResponse response = ctx.response();
            HttpServerRequest request = ctx.request();
            // a client waiting for "100 Continue" got none: it may never send the body, so the
            // connection cannot carry another request; anything else is drained and kept alive
            boolean closeAfter = !request.isEnded() && expectsContinue(request);
            if (!request.isEnded() && !closeAfter) {
                drain(request);
            }
            if (!response.closed() && !response.ended()) {
                if (closeAfter) {
                    response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
                response.setStatusCode(problem.code())
                        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                        .end(Buffer.buffer(problem.toJson()))
                        .onComplete(done -> {
                            if (closeAfter) {
                                request.connection().close();
                            }
                        });
            }
            LOG.debugf("admission request on %s refused: %d %s", path, problem.code(), problem.message());
            meters.record(Verdict.ERROR, start);
        }

        private static boolean expectsContinue(HttpServerRequest request) {
            String expect = request.getHeader(HttpHeaders.EXPECT);
            return expect != null && expect.equalsIgnoreCase("100-continue") && request.version() != HttpVersion.HTTP_2;
        }

        private static void drain(HttpServerRequest request) {
            long[] discarded = {0};
            request.handler(chunk -> {
                discarded[0] += chunk.length();
                if (discarded[0] > DRAIN_LIMIT) {
                    request.handler(null);
                    request.connection().close();
                }
            });
            request.endHandler(null);
            request.exceptionHandler(failure -> { });
            request.resume();
        }

        /** Last line of defence for failures thrown inside the route: a Status body, no stack trace. */
        void failed(RoutingContext ctx) {
            Throwable failure = ctx.failure();
            int code = ctx.statusCode();
            HttpProblem problem;
            if (code >= 400 && code < 500) {
                problem = new HttpProblem(code, code == 413 ? "RequestEntityTooLarge" : "BadRequest",
                        "request refused by " + path + " (" + code + ")");
            } else {
                LOG.errorf(failure, "unexpected failure serving %s", path);
                problem = HttpProblem.internalError("netattach could not process the request on " + path
                        + ": internal error" + (failure == null ? "" : " (" + failure.getClass().getSimpleName() + ")"));
            }
            HttpServerResponse response = ctx.response();
            if (!response.closed() && !response.ended()) {
                response.setStatusCode(problem.code())
                        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                        .end(Buffer.buffer(problem.toJson()));
            }
            meters.error().increment();
        }
    }

    private record Answer(byte[] json, Verdict verdict, AdmissionResponse.Tally findings) {
    }
}
