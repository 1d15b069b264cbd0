package dev.longtasks.local;

import dev.longtasks.api.Problem;
import dev.longtasks.api.ProblemType;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty rejects before our handler runs (a request it cannot parse, a head over the
 * size limit, an unknown HTTP version, an unsupported expectation) with our problem+json. Jetty's
 * own reason text is never shown: it can name parser internals.
 */
final class ProblemErrorHandler implements Request.Handler {
    /** The path Jetty gives a request whose request line it could not parse. */
    private static final String UNPARSED_PATH = "/badMessage";

    private final HttpLimits limits;
    private final int maxBodyBytes;

    ProblemErrorHandler(HttpLimits limits, int maxBodyBytes) {
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        Problem problem = status == 400 && failedOnTheUri(request.getAttribute(ErrorHandler.ERROR_EXCEPTION))
                ? Problem.of(ProblemType.INVALID_URI, "the request target is not a valid URI: a '%' must start a "
                        + "two-hex-digit escape; encode a literal '%' as %25")
                : problemFor(status);
        String method = request.getMethod();
        HttpURI uri = request.getHttpURI();
        String path = uri == null || uri.getPath() == null ? UNPARSED_PATH : uri.getPath();
        response.reset(); // drop whatever headers Jetty prepared for its own page
        long bytes = ApiRequestHandler.send(method, problem.toResponse(), response, callback);
        if (ApiRequestHandler.access.isInfoEnabled()) {
            // A request line Jetty could not parse shows as its placeholders; the log says "-".
            boolean unparsed = path.equals(UNPARSED_PATH) || method == null;
            ApiRequestHandler.access.info("{} {} {} {}ms {}B", unparsed ? "-" : method, unparsed ? "-" : path,
                    problem.type().status(), (System.nanoTime() - start) / 1_000_000, bytes);
        }
        return true;
    }

    /**
     * Jetty parses the path while it reads the request line, so a bad escape there never reaches
     * {@link ApiRequestHandler}; the failure's cause was thrown by its URI class. (One in the
     * query is left for the handler, which checks it itself.)
     */
    private static boolean failedOnTheUri(Object error) {
        for (Throwable t = error instanceof Throwable e ? e.getCause() : null; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().startsWith(HttpURI.class.getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Problem problemFor(int status) {
        return switch (status) {
            case 400 -> Problem.of(ProblemType.MALFORMED_REQUEST, "the request is not valid HTTP/1.1: check the request "
                    + "line, the header fields and the body framing (Content-Length or chunked)");
            case 408 -> Problem.of(ProblemType.REQUEST_TIMEOUT, "the request did not arrive in time");
            case 413 -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "the request body is over the limit of " + maxBodyBytes + " bytes");
            case 414 -> Problem.of(ProblemType.URI_TOO_LONG, "the request line is over the limit of "
                    + limits.maxRequestLineBytes() + " bytes");
            case 417 -> Problem.of(ProblemType.EXPECTATION_FAILED, "the only expectation served is 'Expect: 100-continue'");
            case 431 -> Problem.of(ProblemType.HEADERS_TOO_LARGE, "the request line and header fields are over the limit of "
                    + limits.maxHeaderBytes() + " bytes");
            case 501 -> Problem.of(ProblemType.UNSUPPORTED_TRANSFER_ENCODING, "the request uses a transfer coding this "
                    + "server does not implement; send Content-Length or chunked");
            case 505 -> Problem.of(ProblemType.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.0 and HTTP/1.1 are served");
            case 503 -> Problem.of(ProblemType.SERVICE_UNAVAILABLE, "the server is stopping or overloaded; retry later");
            default -> status >= 400 && status < 500
                    ? Problem.of(ProblemType.MALFORMED_REQUEST, "the request was refused before it reached the API")
                    : Problem.of(ProblemType.INTERNAL_ERROR, "the server failed to answer; try again");
        };
    }
}
