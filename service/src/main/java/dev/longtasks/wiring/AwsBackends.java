package dev.longtasks.wiring;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.aws.InitTimings;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.config.SsmStageConfigLoader;
import dev.longtasks.config.StageConfig;
import dev.longtasks.events.SnsEventPublisher;
import dev.longtasks.events.SqsEventSource;
import dev.longtasks.store.DynamoDbTaskStore;
import java.time.Clock;
import java.util.function.Supplier;

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

    private String fromEnvOr(String name, Supplier<String> ssm) {
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
                .clock(clock).ttl(settings.ttl()).openHorizon(settings.openHorizon()).build();
    }

    public SnsEventPublisher publisher() {
        return new SnsEventPublisher(clients.sns(), topicArn());
    }

    /** The SQS poller, not yet started, when {@code TASKS_QUEUE_URL} is set; else null. */
    public SqsEventSource queueSource(Clock clock) {
        String url = settings.env().get("TASKS_QUEUE_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        return new SqsEventSource(clients.sqs(), url.trim(), settings.runner().lease(), 10, clock);
    }

    @Override
    public void close() {
        clients.close();
    }
}
