package dev.longtasks.wiring;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.aws.InitTimings;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.config.SsmStageConfigLoader;
import dev.longtasks.config.StageConfig;
import dev.longtasks.events.SnsEventPublisher;
import dev.longtasks.events.SqsEventSource;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.TaskRunner;
import java.time.Clock;
import java.util.Map;

/**
 * The AWS side of one process: its clients, built once, and the stage's names, read from SSM
 * only when some backend needs one that the environment does not give ({@code TASKS_TABLE},
 * {@code TASKS_TOPIC_ARN}).
 */
public final class AwsBackends implements AutoCloseable {
    private final ServiceSettings settings;
    private final AwsClients clients;
    private StageConfig stageConfig;

    public AwsBackends(ServiceSettings settings) {
        this.settings = settings;
        this.clients = new AwsClients(settings.env());
    }

    public AwsClients clients() {
        return clients;
    }

    private synchronized StageConfig stageConfig() {
        if (stageConfig == null) {
            SsmStageConfigLoader loader = new SsmStageConfigLoader(clients.ssm());
            long start = System.nanoTime();
            stageConfig = loader.loadCached(settings.stage(), settings.env());
            InitTimings.addConfigNanos(System.nanoTime() - start);
        }
        return stageConfig;
    }

    private String fromEnvOr(String name, java.util.function.Supplier<String> ssm) {
        String v = settings.env().get(name);
        return v != null && !v.isBlank() ? v.trim() : ssm.get();
    }

    public String tableName() {
        return fromEnvOr("TASKS_TABLE", () -> stageConfig().tableName());
    }

    public String topicArn() {
        return fromEnvOr("TASKS_TOPIC_ARN", () -> stageConfig().topicArn());
    }

    public DynamoDbTaskStore store(Clock clock) {
        return DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(tableName())
                .clock(clock).ttl(settings.ttl()).build();
    }

    public SnsEventPublisher publisher() {
        return new SnsEventPublisher(clients.sns(), topicArn());
    }

    /** The SQS poller when {@code TASKS_QUEUE_URL} is set, else null. */
    public SqsEventSource queueSource(TaskRunner runner, Clock clock) {
        Map<String, String> env = settings.env();
        String url = env.get("TASKS_QUEUE_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        // Each consumer holds one long poll; a few dozen cover any local load.
        int consumers = Math.min(settings.workers(), 32);
        return new SqsEventSource(clients.sqs(), url.trim(), runner::run, settings.runner().lease(), 10, clock)
                .start(consumers);
    }

    @Override
    public void close() {
        clients.close();
    }
}
