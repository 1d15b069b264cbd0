package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.FauxTopic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local server in AWS mode (TASKS_STORE=dynamodb TASKS_BUS=sns) against dynalite + fauxqs,
 * with the SQS source as its listener: submit over HTTP, poll to SUCCEEDED, check the raw item.
 */
class AwsModeEndToEndTest {

    @Test
    void a_task_submitted_over_http_succeeds_and_its_item_has_the_design_layout() throws Exception {
        try (AwsClients clients = AwsTestEnv.clients()) {
            String table = AwsTestEnv.createTable(clients.dynamoDb());
            FauxTopic topic = FauxTopic.create(clients, true, "{\"event_type\":[\"task.submitted\"]}");
            Map<String, String> env = AwsTestEnv.env();
            env.putAll(Map.of("API_STAGE", "staging", "TASKS_STORE", "dynamodb", "TASKS_BUS", "sns", "PORT", "0",
                    "TASKS_TABLE", table, "TASKS_TOPIC_ARN", topic.topicArn(), "TASKS_QUEUE_URL", topic.queueUrl(),
                    "TASKS_WORKERS", "2"));
            LocalMain.Running running = LocalMain.start(ServiceSettings.fromEnv(env), env);
            try {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + running.port();
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/example/process-task"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"steps\":3,\"step_ms\":5}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).isEqualTo(202);
                String id = Json.read(created.body()).get("task_id").asText();

                JsonNode view = null;
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < end) {
                    view = Json.read(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + id)).build(),
                            HttpResponse.BodyHandlers.ofString()).body());
                    if ("SUCCEEDED".equals(view.path("status").asText())) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertThat(view.path("status").asText()).isEqualTo("SUCCEEDED");
                // The runner records that it published task.succeeded right after the end; the
                // bookkeeping attributes of the open-task index are gone once it has.
                Eventually.await("the completion event to be recorded as sent", Duration.ofSeconds(20),
                        () -> !rawItem(clients, table, id).containsKey("completion_sent"));

                Map<String, AttributeValue> item = clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                        .key(Map.of("task_id", AttributeValue.fromS(id)))).item();
                assertThat(item.keySet()).containsExactlyInAnyOrder("task_id", "task_type", "status", "input", "result",
                        "progress", "attempt", "lease_until", "cancel_requested", "created_at", "updated_at",
                        "started_at", "finished_at", "ttl", "recent_bucket", "recent_at");
                // The listing index keys: the creation hour and a shard, and the listing position.
                Instant createdAt = Instant.parse(item.get("created_at").s());
                assertThat(item.get("recent_bucket").s()).matches(createdAt.getEpochSecond() / 3600 + "#[0-7]");
                assertThat(item.get("recent_at").s()).endsWith("#" + item.get("task_id").s()).hasSize(19 + 1 + 36);
                assertThat(item.get("status").s()).isEqualTo("SUCCEEDED");
                assertThat(item.get("task_type").s()).isEqualTo("example");
                assertThat(Json.read(item.get("input").s())).isEqualTo(Json.read("{\"steps\":3,\"step_ms\":5}"));
                assertThat(Json.read(item.get("result").s()).get("steps_completed").asInt()).isEqualTo(3);
                assertThat(item.get("progress").m().get("percent").n()).isEqualTo("100");
                assertThat(item.get("attempt").n()).isEqualTo("1");
                assertThat(Instant.parse(item.get("finished_at").s())).isAfterOrEqualTo(Instant.parse(item.get("created_at").s()));
                long ttl = Long.parseLong(item.get("ttl").n());
                long hourAhead = Instant.now().getEpochSecond() + 3600;
                assertThat(ttl).isBetween(hourAhead - 120, hourAhead + 5);
            } finally {
                running.stop(Duration.ofSeconds(5));
                topic.delete();
            }
        }
    }

    static Map<String, AttributeValue> rawItem(AwsClients clients, String table, String id) {
        return clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("task_id", AttributeValue.fromS(id)))).item();
    }
}
