package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.json.Json;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.StandIns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the SnapStart beforeCheckpoint hook does, run by hand: this JVM has no CRaC, so nothing
 * calls the hooks by themselves. The AWS stage runs on dynalite + fauxqs with the names in the
 * environment, as serverless.yml deploys them.
 */
class SnapStartPrimingTest {

    static List<String> outcomes(List<SnapStartPriming.Step> steps) {
        return steps.stream().map(s -> s.name() + " -> " + s.outcome()).toList();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class On_an_aws_stage {
        AwsClients clients;
        FauxTopic topic;
        String table;
        Map<String, String> env;

        @BeforeAll
        void stage() {
            clients = AwsTestEnv.clients();
            table = AwsTestEnv.createTable(clients.dynamoDb());
            topic = FauxTopic.create(clients, true, null); // no filter: every published message arrives
            env = AwsTestEnv.env();
            env.put("API_STAGE", StandIns.uniqueName("prime"));
            env.put("TASKS_TABLE", table);
            env.put("TASKS_TOPIC_ARN", topic.topicArn());
        }

        @AfterAll
        void stop() {
            topic.delete();
            clients.dynamoDb().deleteTable(r -> r.tableName(table));
            clients.close();
        }

        @Test
        void runs_both_handlers_paths_writes_nothing_and_publishes_nothing_then_serves_normally() throws Exception {
            ApiHandler api = new ApiHandler(env);
            new ListenerHandler(env);
            SnapStartPriming priming = LambdaRuntime.forEnv(env).priming();

            List<SnapStartPriming.Step> steps = priming.prime();

            assertThat(outcomes(steps)).containsExactly(
                    "api GET /v1/tasks/{id} -> HTTP 404",
                    "api POST /v1/example/process-task (invalid data) -> HTTP 400",
                    "task view JSON -> PENDING",
                    "store PutItem -> built and signed, not sent",
                    "SNS Publish task.submitted -> built and signed, not sent",
                    "listener task.submitted -> built and signed, not sent",
                    "store GetItem -> absent",
                    "store UpdateItem (finish) -> built and signed, not sent",
                    "SNS Publish task.succeeded -> built and signed, not sent");
            assertThat(clients.dynamoDb().scan(r -> r.tableName(table)).count()).isZero();
            assertThat(clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                    .key(Map.of("task_id", AttributeValue.fromS(PrimingEvents.ABSENT_TASK_ID)))).hasItem()).isFalse();

            // The clients still work: a real submit is stored and its event is the first message on the topic.
            JsonNode created = LambdaHandlersAwsTest.call(api, LambdaHandlersAwsTest.fixture("http-api-post-process-task.json", null));
            assertThat(created.get("statusCode").asInt()).isEqualTo(202);
            String id = Json.read(created.get("body").asText()).get("task_id").asText();
            List<Message> published = topic.receive(1, Duration.ofSeconds(10));
            assertThat(published).hasSize(1);
            assertThat(Json.read(published.getFirst().body()).get("task_id").asText()).isEqualTo(id);
            assertThat(clients.dynamoDb().scan(r -> r.tableName(table)).count()).isEqualTo(1);
        }
    }

    @Nested
    class On_the_local_stage {
        @Test
        void exercises_the_http_and_json_paths_and_leaves_the_memory_store_empty() {
            Map<String, String> env = Map.of("API_STAGE", "local", "TASKS_WORKERS", "1", "PRIMING_TEST", "local");
            new ApiHandler(env);
            new ListenerHandler(env);
            LambdaRuntime runtime = LambdaRuntime.forEnv(env);

            assertThat(outcomes(runtime.priming().prime())).containsExactly(
                    "api GET /v1/tasks/{id} -> HTTP 404",
                    "api POST /v1/example/process-task (invalid data) -> HTTP 400",
                    "task view JSON -> PENDING",
                    "listener task.submitted -> no AWS call");
            assertThat(runtime.system().store().get(PrimingEvents.ABSENT_TASK_ID)).isEmpty();
        }

        @Test
        void priming_leaves_the_cold_start_to_the_first_invocation_and_a_restore_arms_it_again() {
            Map<String, String> env = Map.of("API_STAGE", "local", "TASKS_WORKERS", "1", "PRIMING_TEST", "restore");
            new ApiHandler(env);
            LambdaRuntime runtime = LambdaRuntime.forEnv(env);
            runtime.priming().beforeCheckpoint(null);
            assertThat(runtime.takeColdStart()).isTrue();
            assertThat(runtime.takeColdStart()).isFalse();
            runtime.priming().afterRestore(null);
            assertThat(runtime.takeColdStart()).isTrue();
        }

        @Test
        void a_handler_registers_only_its_own_path() {
            Map<String, String> env = Map.of("API_STAGE", "local", "TASKS_WORKERS", "1", "PRIMING_TEST", "listener-only");
            new ListenerHandler(env);
            assertThat(outcomes(LambdaRuntime.forEnv(env).priming().prime()))
                    .containsExactly("listener task.submitted -> no AWS call");
        }
    }
}
