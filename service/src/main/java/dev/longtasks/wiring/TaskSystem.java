package dev.longtasks.wiring;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.EventSource;
import dev.longtasks.task.Reconciler;
import dev.longtasks.task.ReconcilerLoop;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskMetrics;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled service for one process: a store, a bus, the runner, the task service and the
 * reconciler, chosen by {@link ServiceSettings}. The local server, the Lambda functions,
 * {@code taskctl} and workers all start here. A process that runs tasks also runs the reconciler
 * every interval (only the holder of the store's leader lease acts); the Lambda stage runs it as
 * its own scheduled function instead.
 */
public final class TaskSystem implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskSystem.class);

    private final ServiceSettings settings;
    private final TaskStore store;
    private final EventPublisher publisher;
    private final EventSource source;
    private final TaskRunner runner;
    private final TaskService service;
    private final Reconciler reconciler;
    private final ReconcilerLoop reconcilerLoop;
    private final List<AutoCloseable> resources;

    private TaskSystem(ServiceSettings settings, TaskStore store, Backends.Bus bus, TaskRunner runner,
                       TaskService service, Reconciler reconciler, List<AutoCloseable> resources) {
        this.settings = settings;
        this.store = store;
        this.publisher = bus.publisher();
        this.source = bus.source();
        this.runner = runner;
        this.service = service;
        this.reconciler = reconciler;
        this.resources = resources;
        this.reconcilerLoop = settings.role().works() && settings.reconciler().scheduled()
                ? ReconcilerLoop.start(reconciler, store) : null;
    }

    /** With the built-in task types plus those named in {@code TASKS_HANDLER_CLASSES}. */
    public static TaskSystem start(ServiceSettings settings) {
        return start(settings, TaskMetrics.NONE);
    }

    /** The same, reporting to {@code metrics} (Prometheus in local processes, EMF on Lambda). */
    public static TaskSystem start(ServiceSettings settings, TaskMetrics metrics) {
        TaskHandlers handlers;
        try {
            handlers = BuiltInHandlers.all().withClasses(settings.env().get("TASKS_HANDLER_CLASSES"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        return start(settings, handlers, Clock.systemUTC(), metrics);
    }

    public static TaskSystem start(ServiceSettings settings, TaskHandlers handlers, Clock clock) {
        return start(settings, handlers, clock, TaskMetrics.NONE);
    }

    public static TaskSystem start(ServiceSettings settings, TaskHandlers handlers, Clock clock, TaskMetrics metrics) {
        List<AutoCloseable> resources = new ArrayList<>();
        AwsBackends aws = Backends.needsAws(settings) ? new AwsBackends(settings) : null;
        if (aws != null) {
            resources.add(aws);
        }
        TaskStore store = Backends.store(settings, clock, aws);
        resources.add(store);
        Backends.Bus bus = Backends.bus(settings, store, clock, aws);
        if (bus.publisher() != bus.source()) {
            resources.add(bus.publisher()); // the in-process bus is both, and is shut down as the source
        }
        // Test-only: TASKS_FAULT_PUBLISH_FAILURE_PERCENT fails that share of publishes (the wrapper owns nothing).
        bus = new Backends.Bus(FaultyPublisher.wrap(bus.publisher(), settings), bus.source(), bus.workers());
        // The bus is built first and publishes the runner's completions; only then is the runner
        // handed to the bus's consuming side.
        TaskRunner runner = new TaskRunner(store, handlers, bus.publisher(), settings.runner(), clock, metrics);
        if (bus.source() != null) {
            bus.source().start(runner::run, bus.workers());
        }
        TaskService service = new TaskService(store, bus.publisher(), handlers, clock, settings.ttl(), settings.stage(),
                Math.min(settings.maxBodyBytes(), TaskService.DEFAULT_MAX_INPUT_BYTES),
                settings.reconciler().dispatchGrace(), settings.openHorizon(), metrics);
        Reconciler reconciler = new Reconciler(store, bus.publisher(), settings.reconciler(),
                settings.runner().maxAttempts(), clock, settings.stage(), metrics);
        log.info("task system started: stage={} role={} store={} bus={} workers={}",
                settings.stage(), settings.role(), settings.store(), settings.bus(), settings.workers());
        return new TaskSystem(settings, store, bus, runner, service, reconciler, resources);
    }

    public ServiceSettings settings() {
        return settings;
    }

    public TaskStore store() {
        return store;
    }

    /** The store's listing (list and stats), when this store has one in this build. */
    public Optional<TaskListing> listing() {
        return store instanceof TaskListing listing ? Optional.of(listing) : Optional.empty();
    }

    public EventPublisher publisher() {
        return publisher;
    }

    public TaskRunner runner() {
        return runner;
    }

    public TaskService service() {
        return service;
    }

    /** One pass at a time, for the scheduled Lambda function and tests. */
    public Reconciler reconciler() {
        return reconciler;
    }

    /**
     * Stops the workers: running tasks get {@code grace} to finish, then are interrupted and end
     * FAILED ({@code Shutdown}); tasks still queued in the in-process bus end FAILED too, because
     * no other process could ever pick them up. Then the bus, the store and the clients close.
     */
    public void shutdown(Duration grace) {
        if (reconcilerLoop != null) {
            reconcilerLoop.close();
        }
        if (source != null) {
            List<TaskEvent> unstarted = source.shutdown(grace);
            for (TaskEvent e : unstarted) {
                store.failPending(e.taskId(), new TaskError(TaskError.SHUTDOWN,
                        "the local server shut down before the task started; submit it again"));
            }
            if (!unstarted.isEmpty()) {
                log.warn("shutdown: {} queued task(s) marked FAILED (Shutdown)", unstarted.size());
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
