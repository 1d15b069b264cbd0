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
import dev.longtasks.task.EventSource;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.TaskStoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the store and the bus that {@link ServiceSettings} names, one exhaustive switch per
 * backend kind: a new kind does not compile until it is wired here. {@code aws} is non-null
 * exactly when the store is DynamoDB or the bus is SNS.
 */
final class Backends {
    private static final Logger log = LoggerFactory.getLogger(Backends.class);
    /** How long a publish to the in-process bus waits for room before the API answers 503. */
    private static final Duration IN_PROCESS_OFFER_TIMEOUT = Duration.ofSeconds(5);
    /** Each SQS consumer holds one long poll; a few dozen cover any local load. */
    private static final int MAX_SQS_CONSUMERS = 32;

    /**
     * Where events go, and where this process takes them from: {@code source} is null when the
     * role runs no tasks here; {@code workers} is how many consumers the source starts.
     */
    record Bus(EventPublisher publisher, EventSource source, int workers) {
    }

    private Backends() {
    }

    static boolean needsAws(ServiceSettings settings) {
        return settings.store() == ServiceSettings.StoreKind.DYNAMODB || settings.bus() == ServiceSettings.BusKind.SNS;
    }

    static TaskStore store(ServiceSettings settings, Clock clock, AwsBackends aws) {
        return switch (settings.store()) {
            case MEMORY -> MemoryTaskStore.builder().clock(clock).ttl(settings.ttl()).openHorizon(settings.openHorizon())
                    .maxTasks(settings.maxTasksInMemory()).build();
            case DYNAMODB -> aws.store(clock);
            case REDIS -> redisStore(settings, clock);
        };
    }

    static Bus bus(ServiceSettings settings, TaskStore store, Clock clock, AwsBackends aws) {
        boolean works = settings.role().works();
        return switch (settings.bus()) {
            case INPROCESS -> {
                if (!works) {
                    throw new ConfigurationException("TASKS_ROLE=api needs a shared bus (TASKS_BUS=sns or rabbitmq): "
                            + "with the in-process bus nobody else could run the tasks");
                }
                InProcessEventBus bus = new InProcessEventBus(settings.queueCapacity(), IN_PROCESS_OFFER_TIMEOUT);
                yield new Bus(bus, bus, settings.workers());
            }
            case SNS -> {
                SqsEventSource queue = works ? aws.queueSource(clock) : null;
                if (works && queue == null) {
                    log.warn("TASKS_BUS=sns without TASKS_QUEUE_URL: this process runs no tasks; "
                            + "the listener Lambda (or another worker with an SQS queue) must");
                }
                yield new Bus(aws.publisher(), queue, Math.min(settings.workers(), MAX_SQS_CONSUMERS));
            }
            case RABBITMQ -> {
                RabbitMqEventBus bus = rabbitMqBus(settings, store);
                yield new Bus(bus, works ? bus.source() : null, settings.workers());
            }
        };
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
                    .openHorizon(settings.openHorizon())
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
}
