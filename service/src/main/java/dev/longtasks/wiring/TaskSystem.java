package dev.longtasks.wiring;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.events.InProcessEventBus;
import dev.longtasks.events.RabbitMqEventBus;
import dev.longtasks.events.RabbitMqSettings;
import dev.longtasks.events.SqsEventSource;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.store.RedisTaskStoreBuilder;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.TaskStoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled service for one process: a store, a bus, the runner and the task service, chosen
 * by {@link ServiceSettings}. The local server, {@code taskctl dev} and workers all start here.
 */
public final class TaskSystem implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskSystem.class);

    private final ServiceSettings settings;
    private final TaskStore store;
    private final EventPublisher publisher;
    private final TaskRunner runner;
    private final TaskService service;
    private final List<AutoCloseable> resources;
    private final InProcessEventBus inProcessBus;

    private TaskSystem(ServiceSettings settings, TaskStore store, EventPublisher publisher, TaskRunner runner,
                       TaskService service, List<AutoCloseable> resources, InProcessEventBus inProcessBus) {
        this.settings = settings;
        this.store = store;
        this.publisher = publisher;
        this.runner = runner;
        this.service = service;
        this.resources = resources;
        this.inProcessBus = inProcessBus;
    }

    public static TaskSystem start(ServiceSettings settings) {
        TaskHandlers handlers;
        try {
            handlers = TaskHandlers.builtIn().withClasses(settings.env().get("TASKS_HANDLER_CLASSES"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        return start(settings, handlers, Clock.systemUTC());
    }

    public static TaskSystem start(ServiceSettings settings, TaskHandlers handlers, Clock clock) {
        List<AutoCloseable> resources = new ArrayList<>();
        AwsBackends aws = "dynamodb".equals(settings.store()) || "sns".equals(settings.bus())
                ? new AwsBackends(settings) : null;
        if (aws != null) {
            resources.add(aws);
        }
        TaskStore store = switch (settings.store()) {
            case "memory" -> MemoryTaskStore.builder()
                    .clock(clock).ttl(settings.ttl()).maxTasks(settings.maxTasksInMemory()).build();
            case "dynamodb" -> aws.store(clock);
            case "redis" -> redisStore(settings, clock);
            default -> throw new ConfigurationException("TASKS_STORE=" + settings.store() + " is not available in this build");
        };
        resources.add(store);

        // The runner publishes completions on the same bus it consumes from; the holder breaks the cycle.
        AtomicReference<EventPublisher> busRef = new AtomicReference<>();
        EventPublisher completions = event -> {
            EventPublisher bus = busRef.get();
            if (bus != null) {
                bus.publish(event);
            }
        };
        TaskRunner runner = new TaskRunner(store, handlers, completions, settings.runner(), clock);
        InProcessEventBus inProcess = null;
        EventPublisher publisher = switch (settings.bus()) {
            case "inprocess" -> {
                if (!settings.role().works()) {
                    throw new ConfigurationException("TASKS_ROLE=api needs a shared bus (TASKS_BUS=sns or rabbitmq): "
                            + "with the in-process bus nobody else could run the tasks");
                }
                inProcess = new InProcessEventBus(runner::run, settings.workers(), settings.queueCapacity(),
                        Duration.ofSeconds(5));
                yield inProcess;
            }
            case "sns" -> aws.publisher();
            case "rabbitmq" -> rabbitMqBus(settings, store);
            default -> throw new ConfigurationException("TASKS_BUS=" + settings.bus() + " is not available in this build");
        };
        busRef.set(publisher);
        if (publisher instanceof RabbitMqEventBus rabbit && settings.role().works()) {
            // Started only now, so the very first completions already find the bus in busRef.
            rabbit.startWorkers(runner::run, settings.workers());
        }
        if (inProcess == null) {
            resources.add(publisher);
        }
        if (aws != null && settings.role().works()) {
            SqsEventSource source = aws.queueSource(runner, clock);
            if (source != null) {
                resources.add(source); // closed first: stop taking messages before the store goes
            } else if ("sns".equals(settings.bus())) {
                log.warn("TASKS_BUS=sns without TASKS_QUEUE_URL: this process runs no tasks; "
                        + "the listener Lambda (or another worker with an SQS queue) must");
            }
        }
        TaskService service = new TaskService(store, publisher, handlers, clock, settings.ttl(), settings.stage(),
                Math.min(settings.maxBodyBytes(), TaskService.DEFAULT_MAX_INPUT_BYTES));
        log.info("task system started: stage={} role={} store={} bus={} workers={}",
                settings.stage(), settings.role().name().toLowerCase(), settings.store(), settings.bus(), settings.workers());
        return new TaskSystem(settings, store, publisher, runner, service, resources, inProcess);
    }

    /** {@code REDIS_URL} (default redis://127.0.0.1:6379) and {@code TASKS_REDIS_PREFIX} (default longtasks:). */
    private static RedisTaskStore redisStore(ServiceSettings settings, Clock clock) {
        Map<String, String> env = settings.env();
        try {
            return RedisTaskStore.builder()
                    .url(env.getOrDefault("REDIS_URL", RedisTaskStoreBuilder.DEFAULT_URL))
                    .keyPrefix(env.getOrDefault("TASKS_REDIS_PREFIX", "longtasks:"))
                    .clock(clock)
                    .ttl(settings.ttl())
                    // One connection per running task plus room for the API's reads and writes.
                    .maxConnections(settings.workers() + 32)
                    .build();
        } catch (IllegalStateException | TaskStoreException e) {
            throw new ConfigurationException("TASKS_STORE=redis: " + e.getMessage());
        }
    }

    /** {@code AMQP_URL}, {@code TASKS_AMQP_EXCHANGE}, {@code TASKS_AMQP_QUEUE}; see {@link RabbitMqSettings}. */
    private static RabbitMqEventBus rabbitMqBus(ServiceSettings settings, TaskStore store) {
        try {
            return RabbitMqEventBus.connect(RabbitMqSettings.fromEnv(settings.env()));
        } catch (IllegalArgumentException | EventPublishException e) {
            store.close(); // the process will not start; do not leave the store's connections open
            throw new ConfigurationException("TASKS_BUS=rabbitmq: " + e.getMessage());
        }
    }

    public ServiceSettings settings() {
        return settings;
    }

    public TaskStore store() {
        return store;
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

    /**
     * Stops the workers: running tasks get {@code grace} to finish, then are interrupted and end
     * FAILED ({@code Shutdown}); tasks still queued in the in-process bus end FAILED too, because
     * no other process could ever pick them up.
     */
    public void shutdown(Duration grace) {
        if (inProcessBus != null) {
            List<TaskEvent> unstarted = inProcessBus.shutdown(grace);
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
                if (resources.get(i) instanceof RabbitMqEventBus rabbit) {
                    rabbit.shutdown(grace); // running tasks get the grace; the rest is redelivered elsewhere
                    continue;
                }
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

    /** For consumers that drive the runner themselves (RabbitMQ, SQS): run and log one event. */
    public RunOutcome runOne(TaskEvent event) {
        return runner.run(event);
    }
}
