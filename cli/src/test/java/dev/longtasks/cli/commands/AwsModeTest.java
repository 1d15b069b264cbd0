package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.CloudFormationFake;
import dev.longtasks.cli.fakes.LambdaFake;
import dev.longtasks.cli.fakes.StsFake;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.testing.StandIns;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A stage reached directly through AWS, on the stand-ins: dynalite (DynamoDB), fauxqs (SNS, with
 * an SQS queue subscribed to see what was published) and the service's SSM fake, all on loopback,
 * with the real SDK clients and the service's own DynamoDbTaskStore/SnsEventPublisher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsModeTest extends FakeStageFixture {

    @BeforeAll
    void start() {
        openStage("cli", false);
    }

    @AfterAll
    void stop() {
        closeStage();
    }

    CliRun.Result taskctl(String stdin, String... args) {
        return CliRun.run(env, stdin, args);
    }

    Map<String, AttributeValue> item(String id) {
        return clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("task_id", AttributeValue.fromS(id)))).item();
    }

    @Nested
    class Submit_direct {
        @Test
        void stores_the_task_in_the_table_and_publishes_task_submitted() {
            var r = taskctl("", "submit", "--stage", stage, "--data", "{\"steps\":1,\"step_ms\":0}");
            assertThat(r.code()).as(r.err()).isZero();
            String id = r.out().trim();
            assertThat(item(id).get("status").s()).isEqualTo("PENDING");
            assertThat(item(id).get("task_type").s()).isEqualTo("example");
            List<Message> got = topic.receive(1, Duration.ofSeconds(10));
            assertThat(got).anySatisfy(m -> assertThat(m.body()).contains(id).contains("task.submitted"));
        }

        @Test
        void jsonl_writes_and_publishes_the_batch_with_ids_in_order() {
            var r = taskctl("{\"steps\":1}\n{\"steps\":2}\n{\"steps\":3}\n", "submit", "--stage", stage, "--jsonl", "-");
            assertThat(r.code()).as(r.err()).isZero();
            String[] ids = r.outLines();
            assertThat(ids).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(Json.read(item(ids[i]).get("input").s()).get("steps").asInt()).isEqualTo(i + 1);
            }
        }

        @Test
        void a_stage_without_parameters_exits_5_naming_the_parameter_and_the_fix() {
            var r = taskctl("", "submit", "--stage", "nowhere", "--data", "{\"steps\":1}");
            assertThat(r.code()).isEqualTo(5);
            assertThat(r.err()).contains("/nowhere/v1/").contains("taskctl setup-params --stage nowhere");
            assertThat(r.err().lines().count()).isEqualTo(1);
        }
    }

    @Nested
    class Invoke_local_and_watch {
        @Test
        void the_listener_runs_in_process_against_the_table_and_watch_reads_the_result_from_dynamodb() {
            String id = taskctl("", "submit", "--stage", stage, "--data", "{\"steps\":2,\"step_ms\":0}").out().trim();
            var inv = taskctl("", "invoke", "--local", "--stage", stage, "--task-id", id, "-o", "json");
            assertThat(inv.code()).as(inv.err()).isZero();
            assertThat(Json.read(inv.out()).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(item(id).get("status").s()).isEqualTo("SUCCEEDED");

            var w = taskctl("", "watch", "--stage", stage, id, "-o", "json");
            assertThat(w.code()).isZero();
            var rec = Json.read(w.out());
            assertThat(rec.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(rec.at("/result/steps_completed").asInt()).isEqualTo(2);
        }

        @Test
        void watch_exits_3_for_an_id_the_table_does_not_have() {
            var w = taskctl("", "watch", "--stage", stage, "3f1c9e0a-1111-4111-8111-111111111111");
            assertThat(w.code()).isEqualTo(3);
        }

        @Test
        void status_and_cancel_go_through_dynamodb() {
            String id = taskctl("", "submit", "--stage", stage, "--data", "{\"steps\":1}").out().trim();
            var c = taskctl("", "cancel", "--stage", stage, id, "-o", "json", "-q");
            assertThat(c.code()).isZero();
            assertThat(Json.read(c.out()).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(item(id).get("status").s()).isEqualTo("CANCELLED");
        }
    }

    @Nested
    class Doctor {
        @Test
        void checks_the_emulated_stage_and_reports_what_is_missing() {
            try (var sts = new StsFake(); var cfn = new CloudFormationFake();
                 var lambda = new LambdaFake(Set.of("long-running-tasks-" + stage + "-api",
                         "long-running-tasks-" + stage + "-listener"), b -> null)) {
                Map<String, String> e = new HashMap<>(env);
                e.put("AWS_ENDPOINT_URL_CLOUDFORMATION", cfn.url().toString());
                e.put("AWS_ENDPOINT_URL_STS", sts.url().toString());
                e.put("AWS_ENDPOINT_URL_LAMBDA", lambda.url().toString());
                var r = CliRun.run(e, "", "doctor", "--stage", stage);
                String[] lines = r.outLines();
                assertThat(lines[0]).startsWith("✓ credentials: account 123456789012");
                assertThat(lines[1]).startsWith("✓ parameter /" + stage + "/v1/sns/system_event_topic_name");
                assertThat(lines[4]).isEqualTo("✓ topic: " + topic.topicArn() + " exists");
                assertThat(lines[5]).startsWith("✗ table: " + table + ": TTL");
                assertThat(lines[6]).startsWith("✗ subscription: long-running-tasks-" + stage + "-listener is not subscribed (1 other subscription(s))");
                assertThat(lines[7]).startsWith("✓ functions:");
                assertThat(r.code()).isEqualTo(5);
            }
        }

        CliRun.Result doctor(String stageName) {
            try (var sts = new StsFake();
                 var lambda = new LambdaFake(Set.of("long-running-tasks-" + stageName + "-api",
                         "long-running-tasks-" + stageName + "-listener"), b -> null)) {
                Map<String, String> e = new HashMap<>(env);
                e.put("AWS_ENDPOINT_URL_STS", sts.url().toString());
                e.put("AWS_ENDPOINT_URL_LAMBDA", lambda.url().toString());
                return CliRun.run(e, "", "doctor", "--stage", stageName);
            }
        }

        @Test
        void counts_the_open_tasks_due_more_than_a_reconciler_interval_ago() {
            Instant now = Instant.now();
            DynamoDbTaskStore store = DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).build();
            store.create(Task.pending(UUID.randomUUID().toString(), "example", "{}", now.minusSeconds(300), 7200)
                    .withDueAt(now.minusSeconds(240).toEpochMilli()));
            store.create(Task.pending(UUID.randomUUID().toString(), "example", "{}", now, 7200)
                    .withDueAt(now.minusSeconds(10).toEpochMilli()));
            var r = doctor(stage);
            assertThat(r.out()).contains("✗ overdue tasks: ");
            String line = r.out().lines().filter(l -> l.contains("overdue tasks")).findFirst().orElseThrow();
            assertThat(line).matches("✗ overdue tasks: [1-9][0-9]* open task\\(s\\) overdue by more than 60 s — .*reconciler.*");
            assertThat(r.code()).isEqualTo(5);
        }

        @Test
        void a_table_without_the_open_task_index_is_reported() {
            String bare = StandIns.uniqueName("bare");
            clients.dynamoDb().createTable(t -> t.tableName(bare)
                    .keySchema(KeySchemaElement.builder().attributeName("task_id").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("task_id")
                            .attributeType(ScalarAttributeType.S).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            String other = StandIns.uniqueName("cli").replaceAll("[^A-Za-z0-9_-]", "-");
            ssm.seed(other, topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1), topic.topicArn(), bare);
            try {
                var r = doctor(other);
                assertThat(r.out()).contains("no index open-due (the reconciler cannot find open tasks)");
                assertThat(r.out()).contains("no index recent (ls, top and GET /v1/tasks cannot list tasks)");
                assertThat(r.out()).contains("✗ overdue tasks: cannot read the index open-due");
                assertThat(r.code()).isEqualTo(5);
            } finally {
                clients.dynamoDb().deleteTable(t -> t.tableName(bare));
            }
        }
    }

    /** {@code ls} on a stage reads the table's listing index in-process, with the API's own filters. */
    @Nested
    class Ls_direct extends FakeStageFixture {
        // A stage of its own: the class's stage holds the other nested tests' tasks, in whatever
        // order JUnit runs the nested classes.
        @BeforeEach
        void open() {
            openStage("ls", false);
        }

        @AfterEach
        void close() {
            closeStage();
        }

        CliRun.Result taskctl(String stdin, String... args) {
            return CliRun.run(env, stdin, args);
        }

        @Test
        void lists_the_stage_newest_first_and_filters_by_status() {
            String first = taskctl("", "submit", "--stage", stage, "--data", "{\"steps\":1,\"step_ms\":0}").out().trim();
            String second = taskctl("", "submit", "--stage", stage, "--data", "{\"steps\":1,\"step_ms\":0}").out().trim();
            assertThat(taskctl("", "cancel", "--stage", stage, second, "-q").code()).isZero();

            var all = taskctl("", "ls", "--stage", stage, "-o", "jsonl");
            var cancelled = taskctl("", "ls", "--stage", stage, "--status", "CANCELLED", "-o", "jsonl");

            assertThat(all.code()).as(all.err()).isZero();
            assertThat(all.out().lines().toList()).hasSize(2);
            assertThat(all.out().lines().toList().get(0)).contains("\"task_id\":\"" + second + "\"", "\"status\":\"CANCELLED\"");
            assertThat(all.out().lines().toList().get(1)).contains("\"task_id\":\"" + first + "\"", "\"status\":\"PENDING\"");
            assertThat(cancelled.code()).as(cancelled.err()).isZero();
            assertThat(cancelled.out().lines().toList()).singleElement().asString().contains("\"task_id\":\"" + second + "\"");
        }
    }
}
