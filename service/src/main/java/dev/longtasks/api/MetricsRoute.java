package dev.longtasks.api;

import dev.longtasks.config.ServiceSettings;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: a scrape of the process's metrics (the Prometheus text format in the
 * local server and self-hosted processes). It reveals what other people's tasks do, so it is
 * guarded as the list routes are (see {@link AccessControl}). Lambda has no such route: its
 * metrics are EMF lines in CloudWatch Logs.
 *
 * @param contentType the type of what {@code scrape} writes
 * @param scrape the current values, as bytes to send
 */
public record MetricsRoute(String contentType, Supplier<byte[]> scrape) {
    private static final Logger log = LoggerFactory.getLogger(MetricsRoute.class);
    public static final String PATH = "/metrics";

    public MetricsRoute {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(scrape, "scrape");
    }

    HttpResponse handle(HttpRequest request, Map<String, String> params) {
        return new HttpResponse(200, Map.of("Content-Type", contentType, "Cache-Control", "no-store"), scrape.get());
    }

    /**
     * The HTTP API of a process that serves nothing but its metrics (a self-hosted worker with
     * {@code TASKS_METRICS_PORT}): {@code GET /metrics} under the access control of the
     * environment, as on the API's own port, and a 404 problem for any other route.
     */
    public static HttpApi only(ServiceSettings settings, MetricsRoute route) {
        AccessControl access = AccessControl.from(settings);
        log.info("metrics access: {}", access.describe());
        Router router = new Router().add("GET", PATH, access.guarded(route::handle));
        return request -> {
            try {
                return switch (router.find(request.method(), request.path())) {
                    case Router.Match.Found f -> f.route().handler().handle(request, f.params());
                    case Router.Match.MethodNotAllowed m -> Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                                    request.method() + " is not allowed on " + PATH + "; allowed: GET")
                            .withHeader("Allow", "GET").toResponse();
                    case Router.Match.NotFound n -> Problem.of(ProblemType.NOT_FOUND, "this port serves only GET "
                            + PATH + " (TASKS_METRICS_PORT); the task API is on the API processes").toResponse();
                };
            } catch (ApiException e) {
                return e.problem().toResponse();
            } catch (RuntimeException e) {
                log.error("GET {} failed", PATH, e);
                return Problem.of(ProblemType.INTERNAL_ERROR, "the metrics could not be read; try again").toResponse();
            }
        };
    }
}
