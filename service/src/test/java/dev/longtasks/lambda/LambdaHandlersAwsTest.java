package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.FixedContext;
import dev.longtasks.testing.SsmFake;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Both handlers on the AWS path (API_STAGE=staging): names from the SSM fake, state in dynalite,
 * events through fauxqs. The listener gets the SNS event fauxqs actually delivered.
 */
class LambdaHandlersAwsTest {
    static SsmFake ssm;
    static AwsClients clients;
    static FauxTopic topic;
    static String table;
    static Map<String, String> env;

    @BeforeAll
    static void stage() {
        clients = AwsTestEnv.clients();
        table = AwsTestEnv.createTable(clients.dynamoDb());
        topic = FauxTopic.create(clients, false, "{\"event_type\":[\"task.submitted\"]}");
        ssm = new SsmFake().seed("staging", topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1),
                topic.topicArn(), table);
        env = AwsTestEnv.env();
        env.put("API_STAGE", "staging");
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        env.put("POWERTOOLS_SERVICE_NAME", "long-running-tasks");
    }

    @AfterAll
    static void stop() {
        topic.delete();
        ssm.close();
        clients.close();
    }

    static byte[] fixture(String name, String taskId) throws IOException {
        try (InputStream in = LambdaHandlersAwsTest.class.getResourceAsStream("/events/" + name)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return (taskId == null ? s : s.replace("TASK_ID", taskId)).getBytes(StandardCharsets.UTF_8);
        }
    }

    static JsonNode call(RequestStreamHandler h, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event), out, FixedContext.standard());
        return Json.MAPPER.readTree(out.toByteArray());
    }

    static JsonNode getTask(ApiHandler api, String id) throws IOException {
        JsonNode response = call(api, fixture("http-api-get-task.json", id));
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        return Json.read(response.get("body").asText());
    }

    /** Turns the SNS envelope fauxqs put on the queue into the Lambda SNS event SNS would send. */
    static byte[] snsEventFrom(String envelopeJson) throws IOException {
        JsonNode envelope = Json.read(envelopeJson);
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(fixture("sns-task-submitted.json", null));
        ObjectNode sns = (ObjectNode) event.get("Records").get(0).get("Sns");
        for (String f : new String[] {"Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "MessageAttributes"}) {
            sns.set(f, envelope.get(f));
        }
        return Json.writeBytes(event);
    }

    @Test
    void the_api_creates_a_task_the_listener_finishes_it_and_a_second_delivery_changes_nothing() throws IOException {
        ApiHandler api = new ApiHandler(env);
        ListenerHandler listener = new ListenerHandler(env);
        assertThat(ssm.calls("GetParametersByPath")).isEqualTo(1);

        JsonNode created = call(api, fixture("http-api-post-process-task.json", null));
        assertThat(created.get("statusCode").asInt()).isEqualTo(202);
        String id = Json.read(created.get("body").asText()).get("task_id").asText();
        assertThat(created.at("/headers/Location").asText()).isEqualTo("/v1/tasks/" + id);
        assertThat(getTask(api, id).get("status").asText()).isEqualTo("PENDING");

        String envelope = topic.receive(1, Duration.ofSeconds(20)).getFirst().body();
        byte[] snsEvent = snsEventFrom(envelope);
        JsonNode outcome = call(listener, snsEvent);
        assertThat(outcome.get("outcomes").get(0).asText()).isEqualTo("finished SUCCEEDED");
        JsonNode done = getTask(api, id);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt()).isEqualTo(1);

        Map<String, AttributeValue> before = rawItem(id);
        JsonNode again = call(listener, snsEvent);
        assertThat(again.get("outcomes").get(0).asText()).isEqualTo("nothing to do: already SUCCEEDED");
        assertThat(rawItem(id)).isEqualTo(before);
        assertThat(ssm.calls("GetParametersByPath")).isEqualTo(1); // built once per container
    }

    static Map<String, AttributeValue> rawItem(String id) {
        return clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("task_id", AttributeValue.fromS(id)))).item();
    }

    @Test
    void a_store_failure_in_the_listener_is_rethrown_for_lambda_to_retry() {
        Map<String, String> broken = new HashMap<>(env);
        broken.put("TASKS_TABLE", "no-such-table");
        ListenerHandler listener = new ListenerHandler(broken);
        assertThatThrownBy(() -> call(listener, fixture("sns-task-submitted.json", UUID.randomUUID().toString())))
                .isInstanceOf(TaskStoreException.class)
                .hasMessageContaining("DynamoDB table no-such-table not found");
    }

    @Test
    void other_events_are_ignored() throws IOException {
        ListenerHandler listener = new ListenerHandler(env);
        String event = new String(fixture("sns-task-submitted.json", "x"), StandardCharsets.UTF_8)
                .replace("task.submitted", "task.succeeded");
        JsonNode out = call(listener, event.getBytes(StandardCharsets.UTF_8));
        assertThat(out.get("outcomes").get(0).asText()).startsWith("ignored:");
    }
}
