package dev.longtasks.lambda;

import static dev.longtasks.lambda.LambdaHandlersAwsTest.call;
import static dev.longtasks.lambda.LambdaHandlersAwsTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.json.Json;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.EmfSpec;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.SsmFake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three functions write their metrics as EMF lines on stdout, once at the end of each
 * invocation, on a stage emulated by dynalite, fauxqs and the SSM fake: the API's submit, the
 * listener's claim and end, and nothing for an invocation that changed nothing.
 */
class LambdaMetricsTest {
    static SsmFake ssm;
    static AwsClients clients;
    static FauxTopic topic;
    static Map<String, String> env;
    /** What the functions printed: the runtime keeps the stdout it was built with. */
    static final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    static final String NAMESPACE = "LongTasksTest-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void stage() {
        clients = AwsTestEnv.clients();
        String table = AwsTestEnv.createTable(clients.dynamoDb());
        topic = FauxTopic.create(clients, false, "{\"event_type\":[\"task.submitted\"]}");
        ssm = new SsmFake().seed("staging", topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1),
                topic.topicArn(), table);
        env = AwsTestEnv.env();
        env.put("API_STAGE", "staging");
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "long-running-tasks-staging-test");
        env.put("TASKS_METRICS_NAMESPACE", NAMESPACE);
    }

    @AfterAll
    static void stop() {
        topic.delete();
        ssm.close();
        clients.close();
    }

    /** Our EMF lines printed since {@code from} (other tests may print too: they are left out). */
    static List<JsonNode> emfSince(int from) {
        String out = stdout.toString(StandardCharsets.UTF_8);
        return out.substring(from).lines().filter(l -> l.contains(NAMESPACE)).peek(l ->
                assertThat(EmfSpec.violations(l)).as(l).isEmpty()).map(Json::read).toList();
    }

    @Test
    void each_invocation_flushes_what_it_recorded_as_spec_valid_emf_lines() throws IOException {
        PrintStream original = System.out;
        ApiHandler api;
        ListenerHandler listener;
        ReconcilerHandler reconciler;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            api = new ApiHandler(env);
            listener = new ListenerHandler(env);
            reconciler = new ReconcilerHandler(env);
        } finally {
            System.setOut(original);
        }

        int mark = stdout.size();
        JsonNode created = call(api, fixture("http-api-post-process-task.json", null));
        String id = Json.read(created.get("body").asText()).get("task_id").asText();
        List<JsonNode> submit = emfSince(mark);
        assertThat(submit).singleElement().satisfies(line -> {
            assertThat(line.get("Submitted").asLong()).isEqualTo(1);
            assertThat(line.get("TaskType").asText()).isEqualTo("example");
            assertThat(line.get("Stage").asText()).isEqualTo("staging");
            assertThat(line.get("function_name").asText()).isEqualTo("long-running-tasks-staging-test");
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo(NAMESPACE);
        });

        mark = stdout.size();
        byte[] snsEvent = LambdaHandlersAwsTest.snsEventFrom(topic.receive(1, Duration.ofSeconds(20)).getFirst().body());
        assertThat(call(listener, snsEvent).get("outcomes").get(0).asText()).isEqualTo("finished SUCCEEDED");
        assertThat(emfSince(mark)).singleElement().satisfies(line -> {
            assertThat(line.get("Started").asLong()).isEqualTo(1);
            assertThat(line.get("Succeeded").asLong()).isEqualTo(1);
            assertThat(line.get("QueueWait")).hasSize(1);
            assertThat(line.get("RunTime")).hasSize(1);
            assertThat(line.get("RunTime").get(0).asLong()).isGreaterThanOrEqualTo(0);
        });

        mark = stdout.size();
        call(listener, snsEvent); // a duplicate delivery: nothing happens, nothing is counted
        call(api, fixture("http-api-get-task.json", id));
        call(reconciler, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(emfSince(mark)).isEmpty();
    }
}
