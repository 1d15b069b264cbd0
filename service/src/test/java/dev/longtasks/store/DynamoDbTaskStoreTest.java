package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.MutableClock;
import dev.longtasks.testing.StandIns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every DynamoDbTaskStore operation against dynalite, through the real SDK client. */
class DynamoDbTaskStoreTest {
    static AwsClients clients;
    static DynamoDbClient dynamo;
    static String table;
    MutableClock clock;
    DynamoDbTaskStore store;

    @BeforeAll
    static void startDynalite() {
        clients = AwsTestEnv.clients();
        dynamo = clients.dynamoDb();
        table = AwsTestEnv.createTable(dynamo);
    }

    @AfterAll
    static void closeClients() {
        dynamo.deleteTable(r -> r.tableName(table));
        clients.close();
    }

    @BeforeEach
    void newStore() {
        clock = MutableClock.startingNow();
        // No open horizon: every write sets the TTL an hour ahead (TaskStoreContract checks the horizon).
        store = DynamoDbTaskStore.builder().client(dynamo).tableName(table).clock(clock).ttl(Duration.ofHours(1))
                .openHorizon(Duration.ZERO).build();
    }

    Task newTask() {
        return Task.pending(UUID.randomUUID().toString(), "example", "{\"n\":1}", clock.instant(), 3600);
    }

    Task created() {
        Task t = newTask();
        store.create(t);
        return t;
    }

    Map<String, AttributeValue> rawItem(String id) {
        return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of("task_id", AttributeValue.fromS(id)))).item();
    }

    @Nested
    class Create {
        @Test
        void stores_the_design_item_layout_and_reads_it_back() {
            Task t = created();
            Map<String, AttributeValue> item = rawItem(t.taskId());
            assertThat(item.get("task_type").s()).isEqualTo("example");
            assertThat(item.get("status").s()).isEqualTo("PENDING");
            assertThat(item.get("input").s()).isEqualTo("{\"n\":1}");
            assertThat(item.get("attempt").n()).isEqualTo("0");
            assertThat(item.get("cancel_requested").bool()).isFalse();
            assertThat(item.get("created_at").s()).isEqualTo(clock.instant().toString());
            assertThat(Long.parseLong(item.get("ttl").n())).isEqualTo(clock.instant().getEpochSecond() + 3600);
            assertThat(store.get(t.taskId())).contains(t);
        }

        @Test
        void refuses_an_id_that_is_taken() {
            Task t = created();
            assertThatThrownBy(() -> store.create(t)).isInstanceOf(TaskAlreadyExistsException.class);
        }

        @Test
        void may_replace_an_expired_record_dynamodb_has_not_deleted_yet() {
            Task t = created();
            clock.advance(Duration.ofHours(2));
            Task again = Task.pending(t.taskId(), "noop", "{}", clock.instant(), 3600);
            store.create(again);
            assertThat(store.get(t.taskId())).map(Task::taskType).contains("noop");
        }
    }

    @Nested
    class Claim {
        @Test
        void moves_pending_to_running_with_attempt_one_and_a_lease() {
            Task t = created();
            Task claimed = store.claim(t.taskId(), 30_000).orElseThrow();
            assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(claimed.attempt()).isEqualTo(1);
            assertThat(claimed.leaseUntil()).isEqualTo(clock.millis() + 30_000);
            assertThat(claimed.startedAt()).isEqualTo(clock.instant());
        }

        @Test
        void a_duplicate_claim_under_a_live_lease_is_refused() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            assertThat(store.claim(t.taskId(), 30_000)).isEmpty();
        }

        @Test
        void an_expired_lease_may_be_taken_over_with_the_next_attempt() {
            Task t = created();
            Task first = store.claim(t.taskId(), 30_000).orElseThrow();
            clock.advance(Duration.ofSeconds(31));
            Task second = store.claim(t.taskId(), 30_000).orElseThrow();
            assertThat(second.attempt()).isEqualTo(2);
            assertThat(second.startedAt()).isEqualTo(first.startedAt());
        }

        @Test
        void unknown_and_finished_tasks_cannot_be_claimed() {
            assertThat(store.claim(UUID.randomUUID().toString(), 30_000)).isEmpty();
            Task t = created();
            store.cancel(t.taskId());
            assertThat(store.claim(t.taskId(), 30_000)).isEmpty();
        }
    }

    @Nested
    class ProgressAndFinish {
        @Test
        void the_holder_records_progress_and_renews_its_lease() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            clock.advance(Duration.ofSeconds(10));
            Task after = store.progress(t.taskId(), 1, new Progress(40, "chunk 2"), 30_000).orElseThrow();
            assertThat(after.progress()).isEqualTo(new Progress(40, "chunk 2"));
            assertThat(after.leaseUntil()).isEqualTo(clock.millis() + 30_000);
            Task beat = store.progress(t.taskId(), 1, null, 30_000).orElseThrow();
            assertThat(beat.progress()).isEqualTo(new Progress(40, "chunk 2"));
        }

        @Test
        void success_keeps_the_last_message_at_one_hundred_percent() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            store.progress(t.taskId(), 1, new Progress(60, "almost"), 30_000).orElseThrow();
            Task done = store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "{\"ok\":true}", null).orElseThrow();
            assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(done.progress()).isEqualTo(new Progress(100, "almost"));
            assertThat(done.result()).isEqualTo("{\"ok\":true}");
            assertThat(done.finishedAt()).isEqualTo(clock.instant());
            assertThat(done.leaseUntil()).isZero();
        }

        @Test
        void success_without_progress_reports_done() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            Task done = store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            assertThat(done.progress()).isEqualTo(new Progress(100, "done"));
        }

        @Test
        void failure_stores_the_error_map() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            store.finish(t.taskId(), 1, TaskStatus.FAILED, null, new TaskError("Boom", "it broke")).orElseThrow();
            Map<String, AttributeValue> error = rawItem(t.taskId()).get("error").m();
            assertThat(error.get("type").s()).isEqualTo("Boom");
            assertThat(error.get("message").s()).isEqualTo("it broke");
        }

        @Test
        void finish_after_a_re_claim_is_fenced_off() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            clock.advance(Duration.ofSeconds(31));
            store.claim(t.taskId(), 30_000).orElseThrow();
            assertThat(store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null)).isEmpty();
            assertThat(store.progress(t.taskId(), 1, new Progress(5, "late"), 30_000)).isEmpty();
            assertThat(store.get(t.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void finish_after_a_cancel_of_the_pending_task_is_fenced_off() {
            Task t = created();
            assertThat(store.cancel(t.taskId())).isInstanceOf(CancelResult.Cancelled.class);
            assertThat(store.finish(t.taskId(), 0, TaskStatus.SUCCEEDED, "1", null)).isEmpty();
            assertThat(store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null)).isEmpty();
            assertThat(store.get(t.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        }

        @Test
        void a_second_finish_cannot_overwrite_the_result() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "\"first\"", null).orElseThrow();
            assertThat(store.finish(t.taskId(), 1, TaskStatus.FAILED, null, new TaskError("X", "y"))).isEmpty();
            assertThat(store.get(t.taskId()).orElseThrow().result()).isEqualTo("\"first\"");
        }

        @Test
        void fail_pending_only_touches_pending_tasks() {
            Task t = created();
            Task failed = store.failPending(t.taskId(), new TaskError(TaskError.ENQUEUE_FAILED, "no bus")).orElseThrow();
            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).isEqualTo(new TaskError(TaskError.ENQUEUE_FAILED, "no bus"));
            Task running = created();
            store.claim(running.taskId(), 30_000).orElseThrow();
            assertThat(store.failPending(running.taskId(), new TaskError("X", "y"))).isEmpty();
        }
    }

    @Nested
    class Cancel {
        @Test
        void a_running_task_gets_cancel_requested_and_may_still_finish_cancelled() {
            Task t = created();
            store.claim(t.taskId(), 30_000).orElseThrow();
            CancelResult r = store.cancel(t.taskId());
            assertThat(r).isInstanceOf(CancelResult.Requested.class);
            assertThat(((CancelResult.Requested) r).task().cancelRequested()).isTrue();
            assertThat(store.progress(t.taskId(), 1, null, 30_000).orElseThrow().cancelRequested()).isTrue();
            assertThat(store.finish(t.taskId(), 1, TaskStatus.CANCELLED, null, null)).isPresent();
        }

        @Test
        void finished_and_unknown_tasks_report_so() {
            Task t = created();
            store.cancel(t.taskId());
            assertThat(store.cancel(t.taskId())).isInstanceOf(CancelResult.AlreadyFinished.class);
            assertThat(store.cancel(UUID.randomUUID().toString())).isInstanceOf(CancelResult.NotFound.class);
        }
    }

    @Nested
    class Ttl {
        @Test
        void an_expired_task_reads_as_gone_although_the_item_is_still_there() {
            Task t = created();
            clock.advance(Duration.ofSeconds(3601));
            assertThat(rawItem(t.taskId())).isNotEmpty();
            assertThat(store.get(t.taskId())).isEmpty();
            assertThat(store.getAll(List.of(t.taskId()))).isEmpty();
            assertThat(store.claim(t.taskId(), 30_000)).isEmpty();
            assertThat(store.cancel(t.taskId())).isInstanceOf(CancelResult.NotFound.class);
        }

        @Test
        void every_write_pushes_the_ttl_an_hour_past_it() {
            Task t = created();
            clock.advance(Duration.ofMinutes(50));
            store.claim(t.taskId(), 30_000).orElseThrow();
            assertThat(Long.parseLong(rawItem(t.taskId()).get("ttl").n())).isEqualTo(clock.instant().getEpochSecond() + 3600);
            clock.advance(Duration.ofMinutes(50));
            assertThat(store.get(t.taskId())).isPresent();
        }
    }

    @Nested
    class Batches {
        @Test
        void create_all_and_get_all_handle_more_than_one_call_worth_of_ids() {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 230; i++) {
                tasks.add(newTask());
            }
            store.createAll(tasks);
            List<String> ids = new ArrayList<>(tasks.stream().map(Task::taskId).toList());
            String unknown = UUID.randomUUID().toString();
            ids.add(unknown);
            ids.add(ids.getFirst()); // duplicates are allowed by the caller
            Map<String, Task> found = store.getAll(ids);
            assertThat(found).hasSize(230).doesNotContainKey(unknown);
            Map<String, Task> expected = new HashMap<>();
            tasks.forEach(t -> expected.put(t.taskId(), t));
            assertThat(found).isEqualTo(expected);
        }
    }

    @Nested
    class Idempotency {
        @Test
        void the_first_bind_wins_and_later_binds_see_it() {
            String key = "key-" + UUID.randomUUID();
            IdempotencyRecord first = new IdempotencyRecord(key, "fp1", UUID.randomUUID().toString());
            assertThat(store.bindIdempotencyKey(first)).isEmpty();
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp2", UUID.randomUUID().toString())))
                    .contains(first);
            Map<String, AttributeValue> item = rawItem(DynamoDbIdempotency.itemKey(key));
            assertThat(item.get("task_id").s()).startsWith("idem#").doesNotContain(key);
            assertThat(item).containsKey("ttl");
        }

        @Test
        void a_released_or_expired_key_can_be_bound_again() {
            String key = "key-" + UUID.randomUUID();
            store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "t1"));
            store.releaseIdempotencyKey(key, "t1");
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "t2"))).isEmpty();
            clock.advance(Duration.ofHours(2));
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "t3"))).isEmpty();
        }

        @Test
        void an_idempotency_item_is_never_read_as_a_task() {
            String key = "key-" + UUID.randomUUID();
            store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "t1"));
            assertThat(store.get(DynamoDbIdempotency.itemKey(key))).isEmpty();
        }
    }

    @Nested
    class Errors {
        @Test
        void an_unreachable_endpoint_is_one_line_naming_table_and_endpoint() {
            Map<String, String> env = AwsTestEnv.env();
            env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + StandIns.freePortForTests());
            try (AwsClients dead = new AwsClients(env)) {
                DynamoDbTaskStore s = DynamoDbTaskStore.builder().client(dead.dynamoDb()).tableName("tasks-x").build();
                assertThatThrownBy(() -> s.get(UUID.randomUUID().toString()))
                        .isInstanceOf(TaskStoreException.class)
                        .hasMessageStartingWith("DynamoDB GetItem on table tasks-x at " + env.get("AWS_ENDPOINT_URL_DYNAMODB")
                                + " failed: cannot connect")
                        .hasMessageNotContaining("\n");
            }
        }

        @Test
        void a_missing_table_says_what_to_do() {
            DynamoDbTaskStore s = DynamoDbTaskStore.builder().client(dynamo).tableName("no-such-table").build();
            assertThatThrownBy(() -> s.get(UUID.randomUUID().toString()))
                    .isInstanceOf(TaskStoreException.class)
                    .hasMessage("DynamoDB table no-such-table not found at " + StandIns.get().dynamodb()
                            + " — deploy the stack or check TASKS_TABLE / the SSM parameter");
        }

        @Test
        void the_builder_refuses_a_missing_or_invalid_table_name() {
            assertThatThrownBy(() -> DynamoDbTaskStore.builder().client(dynamo).build())
                    .hasMessageStartingWith("DynamoDbTaskStore needs a table name");
            assertThatThrownBy(() -> DynamoDbTaskStore.builder().client(dynamo).tableName("a b").build())
                    .hasMessageStartingWith("'a b' is not a valid DynamoDB table name");
            assertThatThrownBy(() -> DynamoDbTaskStore.builder().tableName("tasks").build())
                    .hasMessage("DynamoDbTaskStore needs a DynamoDbClient");
        }
    }

    @Nested
    class Open_index_items {
        @Test
        void the_index_attributes_are_on_the_item_exactly_while_it_is_open() {
            Task t = newTask().withDueAt(clock.millis() + 60_000);
            store.create(t);
            Map<String, AttributeValue> pending = rawItem(t.taskId());
            assertThat(pending.get("open_shard").s()).matches("open#([0-9]|1[0-5])");
            assertThat(pending.get("due_at").n()).isEqualTo(Long.toString(t.dueAt()));
            assertThat(pending).doesNotContainKeys("completion_sent", "dispatches");
            store.claim(t.taskId(), 30_000).orElseThrow();
            store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            Map<String, AttributeValue> ended = rawItem(t.taskId());
            assertThat(ended.get("completion_sent").bool()).isFalse();
            assertThat(ended).containsKeys("open_shard", "due_at");
            assertThat(store.markCompletionSent(t.taskId())).isTrue();
            assertThat(rawItem(t.taskId())).doesNotContainKeys("open_shard", "due_at", "completion_sent");
        }

        @Test
        void the_shard_of_a_task_is_stable_and_the_shards_are_all_used() {
            Set<String> shards = new HashSet<>();
            for (int i = 0; i < 400; i++) {
                shards.add(TaskItems.shard(UUID.randomUUID().toString()).s());
            }
            assertThat(shards).hasSize(TaskItems.SHARDS);
            String id = UUID.randomUUID().toString();
            assertThat(TaskItems.shard(id)).isEqualTo(TaskItems.shard(id));
        }

        @Test
        void the_leader_lease_item_is_never_read_as_a_task() {
            assertThat(store.tryLead("reconciler-" + UUID.randomUUID(), "me", Duration.ofSeconds(30))).isTrue();
            assertThat(store.dueTasks(clock.instant().plusSeconds(3600), 1000)).allSatisfy(id -> assertThat(id).doesNotStartWith("lease#"));
        }

        @Test
        void an_expired_item_is_dropped_from_the_index_but_a_live_one_is_not() {
            Task t = newTask().withDueAt(clock.millis());
            store.create(t);
            store.dropFromIndex(t.taskId());
            assertThat(rawItem(t.taskId())).containsKeys("open_shard", "due_at");
            clock.advance(Duration.ofSeconds(3601));
            store.dropFromIndex(t.taskId());
            assertThat(rawItem(t.taskId())).doesNotContainKeys("open_shard", "due_at");
        }
    }

    @Nested
    class Unreadable_and_refused_items {
        @Test
        void a_malformed_attribute_is_a_non_retryable_error_naming_the_task_and_field() {
            Task t = created();
            dynamo.updateItem(r -> r.tableName(table).key(Map.of("task_id", AttributeValue.fromS(t.taskId())))
                    .updateExpression("SET created_at = :bad").expressionAttributeValues(Map.of(":bad", AttributeValue.fromS("yesterday"))));
            assertThatThrownBy(() -> store.get(t.taskId()))
                    .isInstanceOfSatisfying(TaskStoreException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessage("task " + t.taskId() + " cannot be read: field created_at holds 'yesterday'");
        }

        @Test
        void an_item_over_400_kb_is_refused_for_good_and_a_missing_table_may_be_retried() {
            Task big = Task.pending(UUID.randomUUID().toString(), "example", "\"" + "x".repeat(410_000) + "\"", clock.instant(), 3600);
            assertThatThrownBy(() -> store.create(big))
                    .isInstanceOfSatisfying(TaskStoreException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("ValidationException");
            DynamoDbTaskStore missing = DynamoDbTaskStore.builder().client(dynamo).tableName("no-such-table").build();
            assertThatThrownBy(() -> missing.get(UUID.randomUUID().toString()))
                    .isInstanceOfSatisfying(TaskStoreException.class, e -> assertThat(e.retryable()).isTrue());
        }
    }
}
