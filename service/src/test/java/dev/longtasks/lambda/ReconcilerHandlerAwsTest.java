package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.events.TaskEventCodec;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.handlers.ExampleHandler;
import dev.longtasks.handlers.NoopHandler;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.reliability.RecordingTaskStore;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.SsmFake;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The scheduled {@code reconciler} function on the AWS path (API_STAGE=staging: names from the
 * SSM fake, state in dynalite, events through fauxqs), with a 1 s lease and dispatch grace so that
 * real time passes quickly: the Lambda runtime runs on the system clock.
 */
class ReconcilerHandlerAwsTest {
    static final Duration SECOND = Duration.ofSeconds(1);
    static SsmFake ssm;
    static AwsClients clients;
    static FauxTopic topic;
    static String table;
    static Map<String, String> env;
    static DynamoDbTaskStore store;

    @BeforeAll
    static void stage() {
        clients = AwsTestEnv.clients();
        table = AwsTestEnv.createTable(clients.dynamoDb());
        topic = FauxTopic.create(clients, true, null);
        ssm = new SsmFake().seed("staging", topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1),
                topic.topicArn(), table);
        env = AwsTestEnv.env();
        env.put("API_STAGE", "staging");
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        env.put("TASKS_LEASE_SECONDS", "1");
        env.put("TASKS_DISPATCH_GRACE_SECONDS", "1");
        store = DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).build();
    }

    @AfterAll
    static void stop() {
        topic.delete();
        clients.dynamoDb().deleteTable(r -> r.tableName(table));
        ssm.close();
        clients.close();
    }

    static JsonNode reconcile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ReconcilerHandler(env).handleRequest(new ByteArrayInputStream("{\"source\":\"aws.events\"}".getBytes(StandardCharsets.UTF_8)),
                out, null);
        return Json.MAPPER.readTree(out.toByteArray());
    }

    static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The events on the queue for {@code taskId}, as the bus carried them. */
    static List<TaskEvent> eventsFor(String taskId, int atLeast) {
        List<Message> got = topic.receive(atLeast, Duration.ofSeconds(20));
        return got.stream().map(m -> TaskEventCodec.decode(m.body())).flatMap(Optional::stream)
                .filter(e -> taskId.equals(e.taskId())).toList();
    }

    @Test
    void a_task_stored_by_an_api_function_killed_before_its_publish_is_published_and_then_runs() throws Exception {
        RecordingTaskStore writes = new RecordingTaskStore(store);
        TaskService killed = new TaskService(writes, event -> {
            throw new IllegalStateException("function killed between the put and the publish (injected)");
        }, BuiltInHandlers.all(), Clock.systemUTC(), Duration.ofHours(1), "staging", TaskService.DEFAULT_MAX_INPUT_BYTES,
                SECOND, Duration.ofHours(2));
        try {
            killed.submit(NoopHandler.TYPE, Json.MAPPER.createObjectNode(), null);
        } catch (IllegalStateException expected) {
            // the function is gone; the item it put is all that is left
        }
        String id = writes.createdIds().iterator().next();
        assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
        sleep(SECOND.plusMillis(200));

        JsonNode pass = reconcile();

        assertThat(pass.get("republished").asInt()).isGreaterThanOrEqualTo(1);
        List<TaskEvent> events = eventsFor(id, 1);
        assertThat(events).extracting(TaskEvent::event).contains(TaskEvent.SUBMITTED);
        LambdaRuntime.forEnv(env).system().runner().run(events.getFirst(), Duration.ofMinutes(15));
        assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
    }

    @Test
    void a_task_whose_three_invocations_were_killed_ends_max_attempts_exceeded_with_its_completion_event() throws Exception {
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, ExampleHandler.TYPE, "{}", Instant.now(), 7200));
        for (int invocation = 0; invocation < 3; invocation++) {
            assertThat(store.claim(id, SECOND.toMillis())).isPresent(); // then Lambda kills it
            sleep(SECOND.plusMillis(100));
        }
        sleep(SECOND); // the grace after the last lease

        JsonNode pass = reconcile();

        assertThat(pass.get("attempts_exhausted").asInt()).isEqualTo(1);
        Task end = store.get(id).orElseThrow();
        assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(end.error().type()).isEqualTo(TaskError.MAX_ATTEMPTS_EXCEEDED);
        assertThat(end.completionSent()).isTrue();
        assertThat(eventsFor(id, 1)).extracting(TaskEvent::event).contains(TaskEvent.FAILED);
    }
}
