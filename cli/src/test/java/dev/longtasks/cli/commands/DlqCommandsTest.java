package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.CloudFormationFake;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.StandIns;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code taskctl dlq} against fauxqs (the failure queue, and the stage's topic with a queue
 * subscribed to see what a redrive publishes), dynalite (the tasks) and the SSM fake (the
 * stage's names). The records are Lambda invocation records as the AWS Lambda Developer Guide
 * documents them for asynchronous invocation destinations (version, timestamp, requestContext
 * with condition and approximateInvokeCount, requestPayload, responseContext, responsePayload);
 * for SQS the record is the message body. requestPayload is the SNS event the listener got,
 * responsePayload what the Java runtime writes for an unhandled exception (errorMessage,
 * errorType, stackTrace) or, for a timeout, Lambda's own errorMessage alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DlqCommandsTest extends FakeStageFixture {
    static final String A = "3f1c9e0a-1111-4111-8111-111111111111";
    static final String B = "3f1c9e0a-2222-4222-8222-222222222222";
    static final String C = "3f1c9e0a-3333-4333-8333-333333333333";

    DynamoDbTaskStore store;
    String queueUrl;

    @BeforeAll
    void start() {
        openStage("dlq", true);
        store = DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).build();
    }

    @AfterAll
    void stop() {
        closeStage();
    }

    @BeforeEach
    void freshQueue() {
        queueUrl = clients.sqs().createQueue(r -> r.queueName(StandIns.uniqueName("listener-failures"))).queueUrl();
    }

    static String fixture(String name, String taskId, String time) {
        try (InputStream in = DlqCommandsTest.class.getResourceAsStream("/dlq/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("TASK_ID", taskId).replace("RECORD_TIME", time);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void record(String fixture, String taskId, String time) {
        clients.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(fixture(fixture, taskId, time)));
    }

    /** Two failed runs of A, one timeout of B, and a message that is no invocation record. */
    void fourRecords() {
        record("listener-retries-exhausted.json", A, "2026-11-26T18:03:12.345Z");
        record("listener-timed-out.json", B, "2026-11-26T18:20:00.000Z");
        record("listener-retries-exhausted.json", A, "2026-11-26T19:10:00.000Z");
        clients.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody("hello"));
    }

    int recordsLeft() {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    CliRun.Result taskctl(String... args) {
        return CliRun.run(env, "", args);
    }

    void task(String id, TaskStatus end) {
        store.create(Task.pending(id, "example", "{\"steps\":1}", Instant.now(), 3600));
        if (end != null) {
            store.claim(id, 60_000);
            store.finish(id, 1, end, end == TaskStatus.SUCCEEDED ? "{}" : null, null);
        }
    }

    @Nested
    class List_ {
        @Test
        void decodes_each_record_into_task_type_attempts_first_and_last_failure_and_the_error() {
            fourRecords();
            var r = taskctl("dlq", "list", "--stage", stage, "--queue-url", queueUrl);
            assertThat(r.code()).as(r.err()).isZero();
            String[] lines = r.outLines();
            assertThat(lines).hasSize(4);
            assertThat(lines[0]).isEqualTo("TASK ID                               TYPE        ATTEMPTS  FIRST FAILED          "
                    + "LAST FAILED           ERROR");
            assertThat(lines[1]).isEqualTo(A + "  example     6         2026-11-26T18:03:12Z  2026-11-26T19:10:00Z  "
                    + "TaskStoreException: DynamoDB table long-running-tasks-prod not found at https://dynamodb.eu-west-...");
            assertThat(lines[2]).isEqualTo(B + "  http-check  3         2026-11-26T18:20:00Z  2026-11-26T18:20:00Z  "
                    + "RequestId: c2a6f2ae-7dbb-4d22-8782-d0485c9877e2 Error: Task timed out after 900.00 seconds");
            // Not an invocation record: no task, and its times are when SQS got it.
            assertThat(lines[3]).matches("-  +-  +0  +\\d{4}-\\d\\d-\\d\\dT\\S+Z  +\\S+Z  +not a Lambda invocation record");
            assertThat(r.err()).isEqualTo("4 record(s) for 3 task(s) on " + queueUrl + "\n");
        }

        @Test
        void json_has_one_object_per_task_with_the_whole_error() {
            fourRecords();
            var r = taskctl("dlq", "list", "--stage", stage, "--queue-url", queueUrl, "-o", "json");
            assertThat(r.code()).isZero();
            JsonNode tasks = Json.read(r.out());
            assertThat(tasks).hasSize(3);
            JsonNode a = tasks.get(0);
            assertThat(a.get("task_id").asText()).isEqualTo(A);
            assertThat(a.get("task_type").asText()).isEqualTo("example");
            assertThat(a.get("attempts").asInt()).isEqualTo(6);
            assertThat(a.get("records").asInt()).isEqualTo(2);
            assertThat(a.get("first_failed_at").asText()).isEqualTo("2026-11-26T18:03:12.345Z");
            assertThat(a.get("last_failed_at").asText()).isEqualTo("2026-11-26T19:10:00Z");
            assertThat(a.get("condition").asText()).isEqualTo("RetriesExhausted");
            assertThat(a.get("error_type").asText()).isEqualTo("dev.longtasks.task.TaskStoreException");
            assertThat(a.get("error_message").asText()).isEqualTo(
                    "DynamoDB table long-running-tasks-prod not found at https://dynamodb.eu-west-1.amazonaws.com: ResourceNotFoundException");
            assertThat(a.get("message_ids")).hasSize(2);
            assertThat(tasks.get(1).get("error_type").isNull()).isTrue();
            assertThat(tasks.get(2).get("task_id").isNull()).isTrue();
        }

        @Test
        void reading_changes_nothing() {
            fourRecords();
            var first = taskctl("dlq", "list", "--stage", stage, "--queue-url", queueUrl, "-o", "jsonl");
            var second = taskctl("dlq", "list", "--stage", stage, "--queue-url", queueUrl, "-o", "jsonl");
            assertThat(first.outLines()).hasSize(3);
            assertThat(second.out()).isEqualTo(first.out());
            assertThat(recordsLeft()).isEqualTo(4);
        }

        @Test
        void an_empty_queue_prints_no_data_and_says_so() {
            var r = taskctl("dlq", "list", "--stage", stage, "--queue-url", queueUrl);
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("no records on " + queueUrl + "\n");
        }

        @Test
        void the_queue_is_the_stacks_listener_failure_queue_output() {
            record("listener-timed-out.json", B, "2026-11-26T18:20:00.000Z");
            try (CloudFormationFake cfn = new CloudFormationFake().stack("long-running-tasks-" + stage,
                    Map.of("ListenerFailureQueueUrl", queueUrl))) {
                Map<String, String> e = new HashMap<>(env);
                e.put("AWS_ENDPOINT_URL_CLOUDFORMATION", cfn.url().toString());
                var r = CliRun.run(e, "", "dlq", "list", "--stage", stage, "-o", "jsonl");
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(Json.read(r.out()).get("task_id").asText()).isEqualTo(B);
                assertThat(cfn.described).containsExactly("long-running-tasks-" + stage);

                var missing = CliRun.run(e, "", "dlq", "list", "--stage", "nowhere", "--region", "eu-west-1");
                assertThat(missing.code()).isEqualTo(5);
                assertThat(missing.err()).isEqualTo("taskctl: stack long-running-tasks-nowhere does not exist in eu-west-1"
                        + " — deploy the stage, or pass --queue-url\n");

                cfn.stack("long-running-tasks-old", Map.of("ApiUrl", "https://abc.execute-api.us-east-1.amazonaws.com"));
                var old = CliRun.run(e, "", "dlq", "list", "--stage", "old");
                assertThat(old.code()).isEqualTo(5);
                assertThat(old.err()).isEqualTo("taskctl: stack long-running-tasks-old has no ListenerFailureQueueUrl output"
                        + " — deploy again (`npx osls deploy --stage old --region us-east-1`), or pass --queue-url\n");
            }
        }
    }

    @Nested
    class Redrive {
        @Test
        void republishes_open_tasks_only_and_deletes_every_record_it_resolved() {
            String pending = UUID.randomUUID().toString();
            String done = UUID.randomUUID().toString();
            String gone = UUID.randomUUID().toString();
            task(pending, null);
            task(done, TaskStatus.SUCCEEDED);
            record("listener-retries-exhausted.json", pending, "2026-11-26T18:00:00Z");
            record("listener-retries-exhausted.json", done, "2026-11-26T18:01:00Z");
            record("listener-timed-out.json", gone, "2026-11-26T18:02:00Z");

            var r = taskctl("dlq", "redrive", "--stage", stage, "--queue-url", queueUrl, "--all");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.outLines()).containsExactly(
                    "TASK ID                               STATUS     ACTION",
                    pending + "  PENDING    task.submitted republished; 1 record deleted",
                    done + "  SUCCEEDED  nothing to republish: the task already ended; 1 record deleted",
                    gone + "  -          nothing to republish: the task no longer exists (expired or never stored); 1 record deleted");
            assertThat(r.err()).isEqualTo("republished 1, deleted 3 record(s), kept 0 on " + queueUrl + "\n");
            assertThat(recordsLeft()).isZero();
            List<Message> published = topic.receive(1, Duration.ofSeconds(10));
            assertThat(published).hasSize(1);
            JsonNode event = Json.read(published.getFirst().body());
            assertThat(event.get("task_id").asText()).isEqualTo(pending);
            assertThat(event.get("event").asText()).isEqualTo("task.submitted");
            assertThat(event.get("task_type").asText()).isEqualTo("example");
            assertThat(published.getFirst().messageAttributes().get("event_type").stringValue()).isEqualTo("task.submitted");
            clients.sqs().deleteMessage(d -> d.queueUrl(topic.queueUrl()).receiptHandle(published.getFirst().receiptHandle()));
        }

        @Test
        void one_task_id_redrives_that_task_and_leaves_the_others() {
            String pending = UUID.randomUUID().toString();
            task(pending, null);
            record("listener-retries-exhausted.json", pending, "2026-11-26T18:00:00Z");
            record("listener-timed-out.json", B, "2026-11-26T18:02:00Z");

            var r = taskctl("dlq", "redrive", "--stage", stage, "--queue-url", queueUrl, "--task-id", pending, "-o", "json");

            assertThat(r.code()).as(r.err()).isZero();
            JsonNode outcome = Json.read(r.out()).get(0);
            assertThat(outcome.get("task_id").asText()).isEqualTo(pending);
            assertThat(outcome.get("republished").asBoolean()).isTrue();
            assertThat(outcome.get("records_deleted").asBoolean()).isTrue();
            assertThat(recordsLeft()).isEqualTo(1);
            var left = taskctl("dlq", "list", "--stage", stage, "--queue-url", queueUrl, "-o", "jsonl");
            assertThat(Json.read(left.out()).get("task_id").asText()).isEqualTo(B);
            List<Message> published = topic.receive(1, Duration.ofSeconds(10));
            assertThat(Json.read(published.getFirst().body()).get("task_id").asText()).isEqualTo(pending);
            clients.sqs().deleteMessage(d -> d.queueUrl(topic.queueUrl()).receiptHandle(published.getFirst().receiptHandle()));
        }

        @Test
        void a_task_without_a_record_is_not_found_and_nothing_changes() {
            record("listener-timed-out.json", B, "2026-11-26T18:02:00Z");
            var r = taskctl("dlq", "redrive", "--stage", stage, "--queue-url", queueUrl, "--task-id", C);
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("taskctl: no record for task " + C + " on " + queueUrl
                    + " — `taskctl dlq list --stage " + stage + "` shows what is there\n");
            assertThat(recordsLeft()).isEqualTo(1);
        }

        @Test
        void needs_a_task_id_or_all() {
            var r = taskctl("dlq", "redrive", "--stage", stage, "--queue-url", queueUrl);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("taskctl: Error: Missing required argument (specify one of these): (--task-id=ID | --all)");
        }

        @Test
        void a_publish_that_fails_keeps_the_record_and_exits_5() {
            String pending = UUID.randomUUID().toString();
            task(pending, null);
            record("listener-retries-exhausted.json", pending, "2026-11-26T18:00:00Z");
            String broken = stage + "-broken";
            ssm.seed(broken, "no-such-topic", "arn:aws:sns:us-east-1:000000000000:no-such-topic", table);

            var r = taskctl("dlq", "redrive", "--stage", broken, "--queue-url", queueUrl, "--all");

            assertThat(r.code()).isEqualTo(5);
            assertThat(r.outLines()[1]).startsWith(pending + "  PENDING  kept: republishing failed: SNS Publish to "
                    + "arn:aws:sns:us-east-1:000000000000:no-such-topic");
            assertThat(r.err()).isEqualTo("republished 0, deleted 0 record(s), kept 1 on " + queueUrl + "\n");
            assertThat(recordsLeft()).isEqualTo(1);
        }
    }

    @Nested
    class Purge {
        CliRun.Result onATerminal(String answer, String... args) {
            return CliRun.run(new CliEnvironment(Map.copyOf(env),
                    () -> new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), false, false, true), args);
        }

        @Test
        void without_a_terminal_or_yes_it_refuses_and_deletes_nothing() {
            fourRecords();
            var r = taskctl("dlq", "purge", "--stage", stage, "--queue-url", queueUrl);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("taskctl: dlq purge would delete 4 record(s) and there is no terminal to confirm on"
                    + " — pass --yes; nothing was deleted\n");
            assertThat(recordsLeft()).isEqualTo(4);
        }

        @Test
        void yes_deletes_the_records_it_read_and_prints_them() {
            fourRecords();
            var r = taskctl("dlq", "purge", "--stage", stage, "--queue-url", queueUrl, "--yes", "-o", "jsonl");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.outLines()).hasSize(3);
            assertThat(r.err()).isEqualTo("deleted 4 record(s) for 3 task(s) from " + queueUrl + "\n");
            assertThat(recordsLeft()).isZero();
        }

        @Test
        void on_a_terminal_it_asks_and_only_yes_deletes() {
            fourRecords();
            var declined = onATerminal("n\n", "dlq", "purge", "--stage", stage, "--queue-url", queueUrl);
            assertThat(declined.code()).isZero();
            assertThat(declined.err()).isEqualTo("delete these 4 record(s) for 3 task(s) from " + queueUrl + "? [y/N] "
                    + "nothing was deleted\n");
            assertThat(recordsLeft()).isEqualTo(4);

            var accepted = onATerminal("y\n", "dlq", "purge", "--stage", stage, "--queue-url", queueUrl);
            assertThat(accepted.code()).isZero();
            assertThat(accepted.out()).startsWith("TASK ID");
            assertThat(recordsLeft()).isZero();
        }
    }
}
