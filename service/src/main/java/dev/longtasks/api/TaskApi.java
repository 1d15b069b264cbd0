package dev.longtasks.api;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.task.EnqueueFailedException;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of DESIGN §4 over a {@link TaskService} and, for the routes across tasks, a
 * {@link TaskListing}: routes guarded by {@link AccessControl}, then CORS and gzip around every
 * answer. Every failure becomes a problem+json response; nothing is thrown to the transport.
 */
public final class TaskApi implements HttpApi {
    private static final Logger log = LoggerFactory.getLogger(TaskApi.class);

    private final ApiOptions options;
    private final Router router;
    private final String retryAfter;

    /** No listing (its routes answer 501), and no auth configured: open on the local stage, off elsewhere. */
    public TaskApi(TaskService service, ApiOptions options) {
        this(builder(service).options(options));
    }

    private TaskApi(Builder b) {
        this.options = b.options;
        this.retryAfter = Integer.toString(Math.max(1, options.retryAfterSeconds()));
        AccessControl access = b.access != null ? b.access : AccessControl.forStage(options.stage());
        TaskRoutes tasks = new TaskRoutes(b.service, options);
        ListRoutes lists = new ListRoutes(b.listing, b.storeName, b.window, b.clock);
        DocsRoutes docs = new DocsRoutes(options);
        DashboardRoutes dashboard = new DashboardRoutes(options);
        Router routes = new Router()
                .add("POST", "/v1/example/process-task", access.taskRoute(tasks::processExample))
                .add("POST", "/v1/tasks", access.taskRoute(tasks::submitAny))
                .add("GET", "/v1/tasks", access.guarded(lists::list))
                .add("GET", "/v1/tasks/stats", access.guarded(lists::stats))
                .add("GET", "/v1/tasks/{task_id}", access.taskRoute(tasks::get))
                .add("DELETE", "/v1/tasks/{task_id}", access.taskRoute(tasks::cancel))
                .add("GET", "/v1/openapi.json", docs::openApi)
                .add("GET", "/v1/health", docs::health)
                .add("GET", "/v1/docs", docs::docs)
                .add("GET", "/v1/docs/{asset}", docs::asset)
                .add("GET", "/v1/ui", access.dashboard(dashboard::page))
                .add("GET", "/v1/ui/{asset}", access.dashboard(dashboard::asset));
        if (b.metrics != null) {
            routes.add("GET", MetricsRoute.PATH, access.guarded(b.metrics::handle));
        }
        this.router = routes;
    }

    /**
     * The API a process configured by {@code settings} serves: the store's listing when it has
     * one, over the tasks' TTL window, and the access control of the environment
     * ({@code TASKS_API_TOKEN}, {@code TASKS_API_AUTH}, {@code TASKS_API_AUTH_SCOPE}).
     */
    public static TaskApi from(ServiceSettings settings, TaskService service, Optional<TaskListing> listing) {
        return from(settings, service, listing, null);
    }

    /** The same, with {@code GET /metrics} when {@code metrics} is not null. */
    public static TaskApi from(ServiceSettings settings, TaskService service, Optional<TaskListing> listing,
                               MetricsRoute metrics) {
        AccessControl access = AccessControl.from(settings);
        log.info("access: {}", access.describe());
        return builder(service).options(ApiOptions.from(settings)).listing(listing.orElse(null), settings.store().toString())
                .window(settings.ttl()).access(access).metrics(metrics).build();
    }

    public static Builder builder(TaskService service) {
        return new Builder(service);
    }

    /** Builds a TaskApi; only the service is required. */
    public static final class Builder {
        private final TaskService service;
        private ApiOptions options = ApiOptions.defaults();
        private TaskListing listing;
        private String storeName = "configured";
        private Duration window = Duration.ofHours(1);
        private AccessControl access;
        private Clock clock = Clock.systemUTC();
        private MetricsRoute metrics;

        private Builder(TaskService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        public Builder options(ApiOptions o) {
            this.options = Objects.requireNonNull(o, "options");
            return this;
        }

        /** The listing of the routes across tasks; null means this store has none (501), {@code storeName} says which. */
        public Builder listing(TaskListing l, String store) {
            this.listing = l;
            this.storeName = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How far back listing reaches: the tasks' TTL. */
        public Builder window(Duration w) {
            if (w.isNegative() || w.isZero()) {
                throw new IllegalArgumentException("the listing window must be positive, was " + w);
            }
            this.window = w;
            return this;
        }

        /** Default: {@link AccessControl#forStage} of the options' stage. */
        public Builder access(AccessControl a) {
            this.access = Objects.requireNonNull(a, "access");
            return this;
        }

        /** What "now" is for {@code since}; the listing's store judges expiry by its own clock. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Serves {@code GET /metrics} (guarded as the list routes are); null: no such route. */
        public Builder metrics(MetricsRoute m) {
            this.metrics = m;
            return this;
        }

        public TaskApi build() {
            return new TaskApi(this);
        }
    }

    /** The route table, for the test that holds openapi.json to the routes really served. */
    public Router router() {
        return router;
    }

    public ApiOptions options() {
        return options;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        HttpResponse response;
        try {
            response = route(request);
        } catch (ApiException e) {
            response = e.problem().toResponse();
        } catch (RuntimeException | Error e) {
            response = unexpected(request, e);
        }
        try {
            // One mutable copy collects the CORS and gzip headers; the final response copies it once.
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            Cors.decorate(request, headers);
            return Gzip.maybeCompress(request, response, headers, options.gzipMinBytes());
        } catch (RuntimeException e) {
            log.error("decorating the response to {} {} failed", request.method(), request.path(), e);
            return Problem.of(ProblemType.INTERNAL_ERROR, "the server failed to answer; try again").toResponse();
        }
    }

    private HttpResponse route(HttpRequest request) {
        String method = request.method();
        String path = request.path();
        if (method.equals("OPTIONS")) {
            Set<String> methods = router.methodsFor(path);
            if (methods.isEmpty()) {
                throw Problem.of(ProblemType.NOT_FOUND, "no route " + shown(path)).exception();
            }
            return Cors.preflight(request, methods);
        }
        return switch (router.find(method, path)) {
            case Router.Match.Found f -> f.route().handler().handle(request, f.params());
            case Router.Match.MethodNotAllowed m -> Problem.of(ProblemType.METHOD_NOT_ALLOWED,
                            method + " is not allowed on " + shown(path) + "; allowed: " + String.join(", ", m.allowed()))
                    .withHeader("Allow", String.join(", ", m.allowed()) + ", OPTIONS").toResponse();
            case Router.Match.NotFound n -> Problem.of(ProblemType.NOT_FOUND,
                    "no route " + shown(path) + "; see /v1/openapi.json for the routes").toResponse();
        };
    }

    private HttpResponse unexpected(HttpRequest request, Throwable e) {
        return switch (e) {
            case EnqueueFailedException ef -> {
                String id = ef.taskIds().isEmpty() ? "" : ef.taskIds().getFirst();
                log.warn("{} {}: task {} stored but not queued: {}", request.method(), request.path(), id, String.valueOf(e.getCause()));
                yield Problem.of(ProblemType.ENQUEUE_FAILED, "task " + id + " was stored but could not be queued, so it "
                                + "was marked FAILED (EnqueueFailed); submit it again later")
                        .with("task_id", id).withHeader("Retry-After", retryAfter).toResponse();
            }
            // A non-retryable store error (an unreadable record) is no reason to retry: it is a 500 below.
            case TaskStoreException se when se.retryable() -> {
                log.warn("{} {}: store unavailable: {}", request.method(), request.path(), se.toString());
                yield Problem.of(ProblemType.SERVICE_UNAVAILABLE, "the task store cannot take this request now; retry later")
                        .withHeader("Retry-After", retryAfter).toResponse();
            }
            default -> {
                // The client gets an id to quote; the log has the stack trace under the same id.
                String incident = UUID.randomUUID().toString();
                log.error("{} {} failed unexpectedly (incident {})", request.method(), request.path(), incident, e);
                yield Problem.of(ProblemType.INTERNAL_ERROR, "the server failed to answer; try again, and quote incident "
                        + incident + " if it keeps happening").with("incident", incident).toResponse();
            }
        };
    }

    private static String shown(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
