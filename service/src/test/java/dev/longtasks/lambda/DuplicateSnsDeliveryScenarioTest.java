package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.config.SsmStageConfigLoader;
import dev.longtasks.json.Json;
import dev.longtasks.reliability.ScenarioReport;
import dev.longtasks.reliability.StaticCountingHandler;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.FixedContext;
import dev.longtasks.testing.SsmFake;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SNS delivers at least once. Through the real Lambda handlers on the AWS path (SSM fake,
 * dynalite, fauxqs), every SNS event fauxqs delivered is handed to the ListenerHandler again and
 * again: twice inside one event, and four times at once from concurrent invocations. The handler
 * must run once per task and every task end SUCCEEDED on attempt 1.
 */
class DuplicateSnsDeliveryScenarioTest {
    static final int TASKS = 10;
    static SsmFake ssm;
    static AwsClients clients;
    static FauxTopic topic;
    static String table;
    static Map<String, String> env;

    @BeforeAll
    static void stage() {
        // The stage's names are cached per process and stage; another test class may have
        // cached "staging" with its own (by now deleted) topic.
        SsmStageConfigLoader.clearCache();
        clients = AwsTestEnv.clients();
        table = AwsTestEnv.createTable(clients.dynamoDb());
        topic = FauxTopic.create(clients, false, "{\"event_type\":[\"task.submitted\"]}");
        ssm = new SsmFake().seed("staging", topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1),
                topic.topicArn(), table);
        env = AwsTestEnv.env();
        env.put("API_STAGE", "staging");
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        env.put("TASKS_HANDLER_CLASSES", StaticCountingHandler.class.getName());
        env.put("POWERTOOLS_SERVICE_NAME", "long-running-tasks-reliability");
    }

    @AfterAll
    static void stop() {
        SsmStageConfigLoader.clearCache();
        topic.delete();
        clients.dynamoDb().deleteTable(r -> r.tableName(table));
        ssm.close();
        clients.close();
    }

    static JsonNode call(RequestStreamHandler h, byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event), out, FixedContext.standard());
        return Json.MAPPER.readTree(out.toByteArray());
    }

    static ObjectNode fixture(String name) throws Exception {
        try (InputStream in = DuplicateSnsDeliveryScenarioTest.class.getResourceAsStream("/events/" + name)) {
            return (ObjectNode) Json.MAPPER.readTree(in);
        }
    }

    static byte[] submitEvent(int i) throws Exception {
        ObjectNode e = fixture("http-api-post-process-task.json");
        e.put("rawPath", "/v1/tasks");
        e.put("routeKey", "POST /v1/tasks");
        ((ObjectNode) e.get("requestContext").get("http")).put("path", "/v1/tasks");
        ((ObjectNode) e.get("headers")).remove("content-length");
        e.put("body", Base64.getEncoder().encodeToString(("{\"type\":\"" + StaticCountingHandler.TYPE + "\",\"data\":{\"i\":" + i + "}}")
                .getBytes(StandardCharsets.UTF_8)));
        return Json.writeBytes(e);
    }

    /** The Lambda SNS event for the envelope fauxqs put on the queue, with {@code copies} identical records. */
    static byte[] snsEvent(String envelopeJson, int copies) throws Exception {
        JsonNode envelope = Json.read(envelopeJson);
        ObjectNode event = fixture("sns-task-submitted.json");
        ObjectNode record = (ObjectNode) event.get("Records").get(0);
        ObjectNode sns = (ObjectNode) record.get("Sns");
        for (String f : new String[] {"Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "MessageAttributes"}) {
            sns.set(f, envelope.get(f));
        }
        ArrayNode records = event.putArray("Records");
        for (int i = 0; i < copies; i++) {
            records.add(record.deepCopy());
        }
        return Json.writeBytes(event);
    }

    @Test
    void duplicated_and_concurrent_sns_deliveries_run_each_task_once() throws Exception {
        ApiHandler api = new ApiHandler(env);
        ListenerHandler listener = new ListenerHandler(env);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            JsonNode created = call(api, submitEvent(i));
            assertThat(created.get("statusCode").asInt()).as(created.toString()).isEqualTo(202);
            ids.add(Json.read(created.get("body").asText()).get("task_id").asText());
        }
        List<Message> delivered = topic.receive(TASKS, Duration.ofSeconds(30));
        assertThat(delivered).hasSize(TASKS);

        ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        for (Message m : delivered) {
            byte[] twice = snsEvent(m.body(), 2);
            byte[] once = snsEvent(m.body(), 1);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> invocations = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                byte[] event = c == 0 ? twice : once;
                invocations.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        call(listener, event).get("outcomes").forEach(o -> outcomes.add(o.asText()));
                    } catch (Exception e) {
                        outcomes.add("threw " + e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : invocations) {
                t.join();
            }
            // and once more, late, after everything ended
            call(listener, once).get("outcomes").forEach(o -> outcomes.add(o.asText()));
        }

        ScenarioReport report = new ScenarioReport("lambda-duplicate-sns-delivery",
                "duplicate SNS deliveries through the ListenerHandler (2 in one event + 4 concurrent + 1 late)",
                "dynamodb + sns (dynalite, fauxqs)");
        long runs = ids.stream().mapToInt(StaticCountingHandler::starts).sum();
        TaskStore store = LambdaRuntime.forEnv(env).system().store();
        report.recordRun(store, ids, null, runs, 0);
        report.write();

        assertThat(outcomes).noneMatch(o -> o.startsWith("threw"));
        assertThat(outcomes).filteredOn(o -> o.equals("finished SUCCEEDED")).hasSize(TASKS);
        assertThat(outcomes).hasSize(TASKS * 6);
        for (String id : ids) {
            assertThat(StaticCountingHandler.starts(id)).as("handler runs of %s", id).isEqualTo(1);
            JsonNode view = Json.read(call(api, getEvent(id)).get("body").asText());
            assertThat(view.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(view.get("attempt").asInt()).isEqualTo(1);
        }
        assertThat(report.lost()).isZero();
    }

    static byte[] getEvent(String id) throws Exception {
        try (InputStream in = DuplicateSnsDeliveryScenarioTest.class.getResourceAsStream("/events/http-api-get-task.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("TASK_ID", id).getBytes(StandardCharsets.UTF_8);
        }
    }
}
