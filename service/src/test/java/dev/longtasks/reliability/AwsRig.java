package dev.longtasks.reliability;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.fault.FaultProxy;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.MutableClock;
import dev.longtasks.testing.StandIns;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The AWS path wired for a fault scenario: DynamoDbTaskStore on the production client factory
 * (the SDK's default retries), talking to dynalite through an HTTP
 * {@link FaultProxy}. Events are collected; {@link #deliver} plays Lambda's async retry.
 */
final class AwsRig implements AutoCloseable {
    static final RunnerSettings SETTINGS =
            new RunnerSettings(Duration.ofSeconds(30), Duration.ofMillis(200), 3, Duration.ofSeconds(5));

    final MutableClock clock = MutableClock.startingNow();
    final FaultProxy proxy;
    static final Duration CALL_BUDGET = Duration.ofSeconds(4);
    final AwsClients clients;
    final DynamoDbClient dynamo;
    final String table;
    final RecordingTaskStore store;
    final TaskRunner runner;
    final TaskService service;
    final List<TaskEvent> published = new CopyOnWriteArrayList<>();
    private final AwsClients direct;

    AwsRig(CountingHandler handler) throws IOException {
        direct = AwsTestEnv.clients();
        table = AwsTestEnv.createTable(direct.dynamoDb());
        proxy = FaultProxy.http("127.0.0.1", StandIns.get().dynamodb().getPort());
        // The production client factory, with the short call budget the api function runs with
        // (serverless.yml), here 4 s: an exhausted throttle costs 4 s, not ~55 s (RELIABILITY.md).
        Map<String, String> env = new HashMap<>(AwsTestEnv.env());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint());
        env.put("TASKS_AWS_CALL_TIMEOUT_SECONDS", Long.toString(CALL_BUDGET.toSeconds()));
        clients = new AwsClients(env);
        dynamo = clients.dynamoDb();
        store = new RecordingTaskStore(DynamoDbTaskStore.builder().client(dynamo).tableName(table)
                .clock(clock).ttl(Duration.ofHours(1)).build());
        TaskHandlers handlers = TaskHandlers.of(List.of(handler));
        runner = new TaskRunner(store, handlers, null, SETTINGS, clock);
        service = new TaskService(store, published::add, handlers, clock, Duration.ofHours(1), "test",
                TaskService.DEFAULT_MAX_INPUT_BYTES);
    }

    /**
     * Delivers an event the way Lambda's async invocation does: an infrastructure error is
     * retried, a task held under a live lease is retried once the lease has passed (time is moved
     * by hand). Returns how many deliveries it took.
     */
    int deliver(TaskEvent event, Runnable beforeRetry) {
        for (int delivery = 1; delivery <= 10; delivery++) {
            RunOutcome outcome;
            try {
                outcome = runner.run(event, Duration.ofMinutes(15));
            } catch (TaskStoreException e) {
                beforeRetry.run();
                continue;
            }
            if (outcome instanceof RunOutcome.HeldElsewhere) {
                clock.advance(SETTINGS.lease().plusSeconds(1));
                continue;
            }
            return delivery;
        }
        throw new AssertionError("event for task " + event.taskId() + " was not done after 10 deliveries");
    }

    /** Items in the table, read around the proxy: what really is stored. */
    int itemsInTable() {
        return direct.dynamoDb().scan(r -> r.tableName(table).consistentRead(true)).count();
    }

    @Override
    public void close() {
        proxy.close();
        clients.close();
        direct.dynamoDb().deleteTable(r -> r.tableName(table));
        direct.close();
    }
}
