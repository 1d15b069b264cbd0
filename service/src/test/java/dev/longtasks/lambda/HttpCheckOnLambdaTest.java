package dev.longtasks.lambda;

import static dev.longtasks.lambda.LambdaHandlersAwsTest.call;
import static dev.longtasks.lambda.LambdaHandlersAwsTest.fixture;
import static dev.longtasks.lambda.LambdaHandlersAwsTest.getTask;
import static dev.longtasks.lambda.LambdaHandlersAwsTest.snsEventFrom;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.config.SsmStageConfigLoader;
import dev.longtasks.json.Json;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.SsmFake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worked-example task type on the AWS path: the API handler accepts an http-check (HTTP API v2
 * event), the task lands in dynalite and its event in fauxqs, and the listener handler, fed the SNS
 * event fauxqs delivered, runs the probes against a real server on loopback.
 */
class HttpCheckOnLambdaTest {
    static SsmFake ssm;
    static AwsClients clients;
    static FauxTopic topic;
    static Map<String, String> env;
    static HttpServer target;
    static final AtomicInteger probes = new AtomicInteger();
    static final String STAGE = "http-check-e2e";

    @BeforeAll
    static void stage() throws IOException {
        // "staging" may already be cached in this JVM with another test class's (deleted) topic.
        SsmStageConfigLoader.clearCache();
        clients = AwsTestEnv.clients();
        String table = AwsTestEnv.createTable(clients.dynamoDb());
        topic = FauxTopic.create(clients, false, "{\"event_type\":[\"task.submitted\"]}");
        // A stage of its own: the SSM names are cached per stage for the life of the JVM (as in a
        // Lambda container), and other test classes seed "staging" with topics they later delete.
        ssm = new SsmFake().seed(STAGE, topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1),
                topic.topicArn(), table);
        env = AwsTestEnv.env();
        env.put("API_STAGE", STAGE);
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/ready", ex -> {
            try (ex) {
                probes.incrementAndGet();
                ex.sendResponseHeaders(204, -1);
            }
        });
        target.start();
    }

    @AfterAll
    static void stop() {
        target.stop(0);
        topic.delete();
        ssm.close();
        clients.close();
    }

    /** The seed's POST fixture, re-aimed at POST /v1/tasks with the given JSON body. */
    static byte[] postTasks(String body) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(fixture("http-api-post-process-task.json", null));
        event.put("routeKey", "POST /v1/tasks");
        event.put("rawPath", "/v1/tasks");
        ((ObjectNode) event.get("requestContext")).put("routeKey", "POST /v1/tasks");
        ((ObjectNode) event.get("requestContext").get("http")).put("path", "/v1/tasks");
        ((ObjectNode) event.get("headers")).remove("content-length");
        event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        return Json.writeBytes(event);
    }

    @Test
    void submitted_through_the_api_handler_it_is_run_by_the_listener_handler_to_succeeded() throws IOException {
        ApiHandler api = new ApiHandler(env);
        ListenerHandler listener = new ListenerHandler(env);
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/ready";

        JsonNode created = call(api, postTasks("{\"type\":\"http-check\",\"data\":{\"url\":\"" + url
                + "\",\"probes\":2,\"interval_ms\":0,\"expect_status\":204,\"require_healthy\":true}}"));
        assertThat(created.get("statusCode").asInt()).as(created.toString()).isEqualTo(202);
        String id = Json.read(created.get("body").asText()).get("task_id").asText();
        assertThat(probes.get()).as("nothing runs before the listener").isZero();

        JsonNode outcome = call(listener, snsEventFrom(topic.receive(1, Duration.ofSeconds(20)).getFirst().body()));

        assertThat(outcome.get("outcomes").get(0).asText()).isEqualTo("finished SUCCEEDED");
        assertThat(probes.get()).isEqualTo(2);
        JsonNode task = getTask(api, id);
        assertThat(task.get("task_type").asText()).isEqualTo("http-check");
        assertThat(task.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.at("/result/status_codes").toString()).isEqualTo("{\"204\":2}");
    }

    @Test
    void bad_input_is_a_400_problem_from_the_api_handler() throws IOException {
        JsonNode r = call(new ApiHandler(env), postTasks("{\"type\":\"http-check\",\"data\":{\"url\":\"http://169.254.169.254/\"}}"));

        assertThat(r.get("statusCode").asInt()).isEqualTo(400);
        assertThat(Json.read(r.get("body").asText()).get("detail").asText())
                .startsWith("'data.url' points at a link-local address");
    }
}
