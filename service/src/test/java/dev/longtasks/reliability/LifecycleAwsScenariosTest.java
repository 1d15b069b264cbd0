package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.events.SnsEventPublisher;
import dev.longtasks.events.TaskEventCodec;
import dev.longtasks.fault.Fault;
import dev.longtasks.fault.FaultProxy;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.MutableClock;
import dev.longtasks.testing.StandIns;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lifecycle guarantees of issue 10 on the AWS path, on dynalite and fauxqs with faults injected at
 * the wire: a publish whose reply is lost, results too large for a DynamoDB item, and records that
 * cannot be read.
 */
class LifecycleAwsScenariosTest {

    @Nested
    class Publish_reply_lost {
        @Test
        void sns_taking_the_message_but_answering_after_the_call_timeout_is_a_202_and_the_task_runs_once() throws Exception {
            CountingHandler handler = CountingHandler.instant();
            ScenarioReport report = ScenarioReport.lifecycle("aws-publish-reply-lost",
                    "publish reply lost (SNS takes the message, answers after the call timeout)", "dynamodb + sns (fauxqs)");
            try (AwsClients direct = AwsTestEnv.clients();
                 FaultProxy snsProxy = FaultProxy.http("127.0.0.1", StandIns.get().fauxqs().getPort())) {
                String table = AwsTestEnv.createTable(direct.dynamoDb());
                FauxTopic topic = FauxTopic.create(direct, false, null);
                Map<String, String> env = new HashMap<>(AwsTestEnv.env());
                env.put("AWS_ENDPOINT_URL_SNS", snsProxy.endpoint());
                env.put("TASKS_AWS_CALL_TIMEOUT_SECONDS", "1");
                try (AwsClients slowSns = new AwsClients(env)) {
                    MutableClock clock = MutableClock.startingNow();
                    RecordingTaskStore store = new RecordingTaskStore(DynamoDbTaskStore.builder().client(direct.dynamoDb())
                            .tableName(table).clock(clock).build());
                    TaskHandlers handlers = TaskHandlers.of(List.of(handler));
                    TaskService service = new TaskService(store, new SnsEventPublisher(slowSns.sns(), topic.topicArn()),
                            handlers, clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
                    TaskApi api = new TaskApi(service, ApiOptions.defaults());
                    snsProxy.set(Fault.latency(Duration.ofMillis(1_500))); // each way: the reply comes 3 s after the call

                    HttpResponse res = AwsFaultScenariosTest.post(api, 1);

                    assertThat(res.status()).as(res.bodyText()).isEqualTo(202);
                    String id = Json.read(res.bodyText()).get("task_id").asText();
                    List<Message> delivered = topic.receive(1, Duration.ofSeconds(20));
                    assertThat(delivered).as("SNS did take the message").hasSize(1);
                    TaskEvent event = TaskEventCodec.decode(delivered.getFirst().body()).orElseThrow();
                    assertThat(event.taskId()).isEqualTo(id);
                    TaskRunner runner = new TaskRunner(store, handlers, null, AwsRig.SETTINGS, clock);
                    assertThat(runner.run(event)).isInstanceOf(RunOutcome.Finished.class);
                    assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
                    assertThat(handler.starts(id)).isEqualTo(1);
                    report.recordRun(store, List.of(id), store, handler.totalStarts(), 0);
                    report.write();
                    report.assertLifecycleZeros();
                    assertThat(report.completedTwice()).isZero();
                } finally {
                    snsProxy.set(Fault.passThrough());
                    topic.delete();
                    direct.dynamoDb().deleteTable(r -> r.tableName(table));
                }
            }
        }
    }

    @Nested
    class Oversized_results {
        @Test
        void a_result_over_the_cap_ends_failed_result_too_large_after_one_run() throws Exception {
            CountingHandler handler = new CountingHandler((data, ctx) -> Json.MAPPER.getNodeFactory().textNode("r".repeat(420_000)));
            ScenarioReport report = ScenarioReport.lifecycle("aws-oversized-result",
                    "oversized result (420 KB, over the result cap and DynamoDB's 400 KB item)", "dynamodb (dynalite)");
            try (AwsRig rig = new AwsRig(handler)) {
                String id = rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode(), null).taskId();
                assertThat(rig.deliver(rig.published.getFirst(), () -> { })).as("deliveries").isEqualTo(1);
                Task end = rig.store.get(id).orElseThrow();
                assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(end.error().type()).isEqualTo("ResultTooLarge");
                assertThat(end.error().message()).contains("420002 bytes").contains("131072");
                assertThat(handler.starts(id)).isEqualTo(1);
                report.recordRun(rig.store, List.of(id), rig.store, handler.totalStarts(), 0);
                report.write();
                report.assertLifecycleZeros();
            }
        }

        @Test
        void an_end_state_dynamodb_refuses_as_too_large_ends_failed_store_rejected_and_is_not_sent_around_again() throws Exception {
            // Under the result cap, but together with a large input more than a 400 KB item holds.
            CountingHandler handler = new CountingHandler((data, ctx) -> Json.MAPPER.getNodeFactory().textNode("r".repeat(120_000)));
            try (AwsRig rig = new AwsRig(handler)) {
                String id = UUID.randomUUID().toString();
                String bigInput = "{\"blob\":\"" + "i".repeat(300_000) + "\"}";
                rig.store.create(Task.pending(id, CountingHandler.TYPE, bigInput, rig.clock.instant(), 3600));
                TaskEvent event = TaskEvent.submitted(id, CountingHandler.TYPE, "test");

                assertThat(rig.deliver(event, () -> { })).as("deliveries").isEqualTo(1);

                Task end = rig.store.get(id).orElseThrow();
                assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(end.error().type()).isEqualTo("StoreRejected");
                assertThat(end.error().message()).contains("ValidationException");
                assertThat(handler.starts(id)).isEqualTo(1);
            }
        }
    }

    @Nested
    class Unreadable_records {
        @Test
        void a_corrupt_record_is_one_line_naming_the_task_and_field_and_its_event_is_not_redelivered() throws Exception {
            try (AwsRig rig = new AwsRig(CountingHandler.instant())) {
                String id = UUID.randomUUID().toString();
                Map<String, AttributeValue> item = oldFormatItem(id, rig.clock.instant());
                item.put("status", AttributeValue.fromS("DONE"));
                rig.dynamo.putItem(r -> r.tableName(rig.table).item(item));

                assertThatThrownBy(() -> rig.store.get(id))
                        .isInstanceOf(TaskStoreException.class)
                        .hasMessageContaining(id)
                        .hasMessageContaining("status")
                        .hasMessageNotContaining("\n");
                RunOutcome outcome = rig.runner.run(TaskEvent.submitted(id, CountingHandler.TYPE, "test"), Duration.ofMinutes(15));
                assertThat(outcome).isInstanceOfSatisfying(RunOutcome.NothingToDo.class,
                        n -> assertThat(n.reason()).contains("status"));
            }
        }

        @Test
        void a_record_written_before_the_lifecycle_fields_existed_reads_and_runs() throws Exception {
            CountingHandler handler = CountingHandler.instant();
            ScenarioReport report = ScenarioReport.lifecycle("aws-corrupt-or-old-format-record",
                    "corrupt or old-format record (3 PENDING items without issue 10's fields run; beside them 1 corrupt item, "
                            + "refused in one line, its event answered)", "dynamodb (dynalite)");
            try (AwsRig rig = new AwsRig(handler)) {
                String corrupt = UUID.randomUUID().toString();
                Map<String, AttributeValue> bad = oldFormatItem(corrupt, rig.clock.instant());
                bad.put("status", AttributeValue.fromS("DONE"));
                rig.dynamo.putItem(r -> r.tableName(rig.table).item(bad));
                List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
                for (String id : ids) {
                    rig.dynamo.putItem(r -> r.tableName(rig.table).item(oldFormatItem(id, rig.clock.instant())));
                    Optional<Task> read = rig.store.get(id);
                    assertThat(read).isPresent();
                    assertThat(read.get().status()).isEqualTo(TaskStatus.PENDING);
                }
                assertThat(rig.runner.run(TaskEvent.submitted(corrupt, CountingHandler.TYPE, "test")))
                        .isInstanceOf(RunOutcome.NothingToDo.class);
                for (String id : ids) {
                    assertThat(rig.runner.run(TaskEvent.submitted(id, CountingHandler.TYPE, "test"))).isInstanceOf(RunOutcome.Finished.class);
                    assertThat(rig.store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
                    assertThat(handler.starts(id)).isEqualTo(1);
                }
                report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), 0);
                report.write();
                report.assertLifecycleZeros();
                assertThat(report.completedTwice()).isZero();
            }
        }
    }

    /** The 14 attributes a task item had before issue 10, as a PENDING task. */
    static Map<String, AttributeValue> oldFormatItem(String id, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("task_id", AttributeValue.fromS(id));
        item.put("task_type", AttributeValue.fromS(CountingHandler.TYPE));
        item.put("status", AttributeValue.fromS("PENDING"));
        item.put("input", AttributeValue.fromS("{}"));
        item.put("attempt", AttributeValue.fromN("0"));
        item.put("lease_until", AttributeValue.fromN("0"));
        item.put("cancel_requested", AttributeValue.fromBool(false));
        item.put("created_at", AttributeValue.fromS(now.toString()));
        item.put("updated_at", AttributeValue.fromS(now.toString()));
        item.put("ttl", AttributeValue.fromN(Long.toString(now.getEpochSecond() + 3600)));
        return item;
    }
}
