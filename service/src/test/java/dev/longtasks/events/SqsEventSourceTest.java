package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.FauxTopic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The SQS poller drives the real TaskRunner from messages SNS (fauxqs) delivered. */
class SqsEventSourceTest {
    AwsClients clients;
    MemoryTaskStore store;
    TaskRunner runner;
    TaskService service;

    @BeforeEach
    void setUp() {
        clients = AwsTestEnv.clients();
        store = MemoryTaskStore.builder().build();
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    SqsEventSource wire(FauxTopic topic) {
        SnsEventPublisher publisher = new SnsEventPublisher(clients.sns(), topic.topicArn());
        runner = new TaskRunner(store, BuiltInHandlers.all(), publisher, RunnerSettings.DEFAULTS, Clock.systemUTC());
        service = new TaskService(store, publisher, BuiltInHandlers.all(), Clock.systemUTC(), Duration.ofHours(1),
                "staging", TaskService.DEFAULT_MAX_INPUT_BYTES);
        return new SqsEventSource(clients.sqs(), topic.queueUrl(), Duration.ofSeconds(30), 1, Clock.systemUTC());
    }

    static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, Duration.ofSeconds(30), condition);
    }

    @Nested
    class Delivery {
        @Test
        @SuppressWarnings("try") // the source only has to run (and be closed) around the body
        void enveloped_submissions_run_to_success_and_their_messages_are_deleted() throws Exception {
            FauxTopic topic = FauxTopic.create(clients, false, null);
            SqsEventSource source = wire(topic);
            source.start(runner::run, 2);
            try (source) {
                String a = service.submit("example", Json.read("{\"steps\":2,\"step_ms\":1}"), null).taskId();
                String b = service.submit("example", Json.read("{\"steps\":1,\"step_ms\":1}"), null).taskId();
                await("both tasks to succeed", () -> List.of(a, b).stream().allMatch(id -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED));
                // the completion events went to the same topic; the source ignores and deletes them too
                await("the queue to be empty", () -> topic.messagesLeft() == 0);
            }
            topic.delete();
        }

        @Test
        @SuppressWarnings("try") // the source only has to run (and be closed) around the body
        void raw_delivery_works_the_same() throws Exception {
            FauxTopic topic = FauxTopic.create(clients, true, "{\"event_type\":[\"task.submitted\"]}");
            SqsEventSource source = wire(topic);
            source.start(runner::run, 1);
            try (source) {
                String id = service.submit("example", Json.read("{\"steps\":1,\"step_ms\":1}"), null).taskId();
                await("the task to succeed", () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
                await("the queue to be empty", () -> topic.messagesLeft() == 0);
            }
            topic.delete();
        }

        @Test
        void a_task_held_by_another_worker_leaves_its_message_for_redelivery() throws Exception {
            FauxTopic topic = FauxTopic.create(clients, false, null);
            SqsEventSource source = wire(topic);
            Task t = Task.pending(UUID.randomUUID().toString(), "example", "{}", Instant.now(), 3600);
            store.create(t);
            store.claim(t.taskId(), 60_000).orElseThrow(); // another worker holds it
            new SnsEventPublisher(clients.sns(), topic.topicArn()).publish(TaskEvent.submitted(t.taskId(), "example", "staging"));
            var message = topic.receive(1, Duration.ofSeconds(20)).getFirst();
            source.handle(message, runner::run);
            assertThat(topic.messagesLeft()).isEqualTo(1);
            assertThat(store.get(t.taskId()).orElseThrow().attempt()).isEqualTo(1);
            topic.delete();
        }

        @Test
        void a_duplicate_delivery_of_a_finished_task_is_deleted_without_running_it_again() throws Exception {
            FauxTopic topic = FauxTopic.create(clients, false, null);
            SqsEventSource source = wire(topic);
            String id = service.submit("example", Json.read("{\"steps\":1,\"step_ms\":1}"), null).taskId();
            var first = topic.receive(1, Duration.ofSeconds(20)).getFirst();
            source.handle(first, runner::run);
            assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
            new SnsEventPublisher(clients.sns(), topic.topicArn()).publish(TaskEvent.submitted(id, "example", "staging"));
            // the queue now holds the task.succeeded event and the duplicate submission
            for (var m : topic.receive(2, Duration.ofSeconds(20))) {
                source.handle(m, runner::run);
            }
            assertThat(store.get(id).orElseThrow().attempt()).isEqualTo(1);
            assertThat(topic.messagesLeft()).isZero();
            topic.delete();
        }

        @Test
        void a_message_that_is_not_a_task_event_is_dropped() throws Exception {
            FauxTopic topic = FauxTopic.create(clients, true, null);
            SqsEventSource source = wire(topic);
            clients.sqs().sendMessage(r -> r.queueUrl(topic.queueUrl()).messageBody("not json"));
            source.handle(topic.receive(1, Duration.ofSeconds(20)).getFirst(), runner::run);
            assertThat(topic.messagesLeft()).isZero();
            topic.delete();
        }
    }
}
