package dev.longtasks.local;

import dev.longtasks.api.AccessControl;
import dev.longtasks.api.HttpApi;
import dev.longtasks.api.MetricsRoute;
import dev.longtasks.api.TaskApi;
import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.metrics.PrometheusTaskMetrics;
import dev.longtasks.wiring.TaskSystem;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service locally: settings from the environment, the task system, and the HTTP server
 * when the role serves. On SIGTERM or SIGINT it stops taking requests first, then gives running
 * tasks a grace period and fails whatever is left explicitly ({@code Shutdown}).
 */
public final class LocalMain {
    private static final Logger log = LoggerFactory.getLogger(LocalMain.class);
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_GRACE_SECONDS = 10;

    /** A started service: what the shutdown hook, tests and {@code taskctl dev} stop. */
    public static final class Running {
        private final TaskSystem system;
        private final LocalServer server;
        private final LocalServer metricsServer;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);

        Running(TaskSystem system, LocalServer server, LocalServer metricsServer) {
            this.system = system;
            this.server = server;
            this.metricsServer = metricsServer;
        }

        public TaskSystem system() {
            return system;
        }

        /** The bound HTTP port, or -1 when this process only runs tasks. */
        public int port() {
            return server == null ? -1 : server.port();
        }

        /** The port of a worker's own {@code GET /metrics} ({@code TASKS_METRICS_PORT}), or -1. */
        public int metricsPort() {
            return metricsServer == null ? -1 : metricsServer.port();
        }

        /** HTTP first (no new tasks arrive), then the workers; safe to call twice. */
        public void stop(Duration grace) {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            try {
                if (server != null) {
                    server.stop(Duration.ofSeconds(1));
                }
                system.shutdown(grace);
                if (metricsServer != null) {
                    metricsServer.stop(Duration.ZERO);
                }
                log.info("stopped");
            } finally {
                BufferedStderr.flush(System.err);
                done.countDown();
            }
        }

        public void awaitStop() throws InterruptedException {
            done.await();
        }
    }

    private LocalMain() {
    }

    public static void main(String[] args) {
        PrintStream err = BufferedStderr.install(Duration.ofMillis(100));
        int code = run(System.getenv(), err);
        BufferedStderr.flush(err);
        System.exit(code);
    }

    /** Starts, blocks until a signal stops the process, and returns the exit code. */
    static int run(Map<String, String> env, PrintStream err) {
        Running running;
        Duration grace;
        try {
            grace = Duration.ofSeconds(graceSeconds(env));
            running = start(ServiceSettings.fromEnv(env), env);
        } catch (ConfigurationException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: cannot listen: " + e.getMessage() + " (is the port in use? set PORT to another one)");
            return 5;
        } catch (RuntimeException | Error e) {
            err.println(StartupFailure.describe(e));
            return StartupFailure.EXIT_CODE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.stop(grace), "shutdown"));
        if (running.port() > 0) {
            err.println("listening on http://localhost:" + running.port() + " (docs: http://localhost:"
                    + running.port() + "/v1/docs)");
        } else if (running.metricsPort() > 0) {
            err.println("running tasks only (TASKS_ROLE=worker); metrics on http://localhost:" + running.metricsPort()
                    + "/metrics");
        } else {
            err.println("running tasks only (TASKS_ROLE=worker); no HTTP server");
        }
        BufferedStderr.flush(err); // scripts wait for this line
        try {
            running.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Starts the task system and, when the role serves, the HTTP server on HOST:PORT. The two
     * start side by side: each is mostly class loading, and one after the other they were most of
     * {@code taskctl dev}'s start-up. A request that arrives before the task system is up waits.
     */
    public static Running start(ServiceSettings settings, Map<String, String> env) throws IOException {
        HttpLimits limits = HttpLimits.fromEnv(env);
        String host = env.getOrDefault("HOST", DEFAULT_HOST);
        host = host.isBlank() ? DEFAULT_HOST : host.trim();
        Integer metricsPort = metricsPort(env);
        if (!settings.role().serves()) {
            return metricsPort == null ? new Running(TaskSystem.start(settings), null, null)
                    : worker(settings, host, metricsPort, limits);
        }
        if (metricsPort != null) {
            log.info("TASKS_METRICS_PORT is for TASKS_ROLE=worker; this process serves GET /metrics on PORT {}",
                    settings.port());
        }
        // Refuse a contradictory access setting before anything listens: the API itself is only
        // built once the task system is up, and requests that arrived by then are waiting for it.
        AccessControl.from(settings);
        PrometheusTaskMetrics metrics = new PrometheusTaskMetrics();
        FutureTask<TaskSystem> starting = new FutureTask<>(() -> TaskSystem.start(settings, metrics));
        Thread.ofPlatform().name("task-system-start").start(starting);
        CompletableFuture<HttpApi> api = new CompletableFuture<>();
        LocalServer server;
        try {
            server = LocalServer.start(request -> api.join().handle(request), host, settings.port(),
                    settings.maxBodyBytes(), limits);
        } catch (IOException | RuntimeException e) {
            try {
                started(starting).shutdown(Duration.ZERO);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        TaskSystem system;
        try {
            system = started(starting);
        } catch (RuntimeException e) {
            api.completeExceptionally(e);
            server.close();
            throw e;
        }
        metrics.withTypes(system.service().handlers().types());
        api.complete(TaskApi.from(settings, system.service(), system.listing(), route(metrics)));
        return new Running(system, server, null);
    }

    /** A worker with {@code GET /metrics} on its own port, under the same access control as the API's. */
    private static Running worker(ServiceSettings settings, String host, int port, HttpLimits limits) throws IOException {
        PrometheusTaskMetrics metrics = new PrometheusTaskMetrics();
        HttpApi api = MetricsRoute.only(settings, route(metrics)); // refuses a contradictory access setting first
        TaskSystem system = TaskSystem.start(settings, metrics);
        metrics.withTypes(system.service().handlers().types());
        try {
            return new Running(system, null, LocalServer.start(api, host, port, 1024, limits));
        } catch (IOException | RuntimeException e) {
            system.shutdown(Duration.ZERO);
            throw e;
        }
    }

    private static MetricsRoute route(PrometheusTaskMetrics metrics) {
        return new MetricsRoute(metrics.contentType(), metrics::scrape);
    }

    /** {@code TASKS_METRICS_PORT}: unset (no metrics server), or 0 (a free port) to 65535. */
    static Integer metricsPort(Map<String, String> env) {
        String raw = env.get("TASKS_METRICS_PORT");
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= 0 && v <= 65_535) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("TASKS_METRICS_PORT=" + raw + " must be a port number, 0..65535 (0: any free port)");
    }

    /** The started task system, or what its start threw. */
    private static TaskSystem started(FutureTask<TaskSystem> starting) {
        try {
            return starting.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the task system did not start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the task system started", e);
        }
    }

    static int graceSeconds(Map<String, String> env) {
        String raw = env.get("TASKS_SHUTDOWN_GRACE_SECONDS");
        if (raw == null || raw.isBlank()) {
            return DEFAULT_GRACE_SECONDS;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= 0 && v <= 3600) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("TASKS_SHUTDOWN_GRACE_SECONDS=" + raw + " must be 0..3600");
    }
}
