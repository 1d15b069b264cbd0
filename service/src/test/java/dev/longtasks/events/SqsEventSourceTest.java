package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.fault.FaultProxy;
import dev.longtasks.fault.HttpFault;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.reliability.ScenarioReport;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.CapturedStderr;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.LocalServices;
import dev.longtasks.testing.StandIns;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS poller drives the real TaskRunner from messages SNS (fauxqs) delivered. */
class SqsEventSourceTest {
    AwsClients clients;
    MemoryTaskStore store;
    TaskRunner runner;
    TaskService service;
    final List<String> queues = new ArrayList<>();

    @BeforeEach
    void setUp() {
        clients = AwsTestEnv.clients();
        store = MemoryTaskStore.builder().build();
    }

    @AfterEach
    void tearDown() {
        for (String url : queues) {
            clients.sqs().deleteQueue(r -> r.queueUrl(url));
        }
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

    /** A plain queue (no topic) with the given attributes; deleted with the test's fixtures. */
    String queue(Map<QueueAttributeName, String> attributes) {
        String url = clients.sqs().createQueue(r -> r.queueName(StandIns.uniqueName("work")).attributes(attributes)).queueUrl();
        queues.add(url);
        return url;
    }

    String queueArn(String url) {
        return clients.sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    int messagesIn(String url) {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Stores a PENDING task and sends its {@code task.submitted} event straight to the queue (raw delivery). */
    String submitTo(String url, String type, String input) {
        Task t = Task.pending(UUID.randomUUID().toString(), type, input, Instant.now(), 3600);
        store.create(t);
        clients.sqs().sendMessage(r -> r.queueUrl(url).messageBody(TaskEventCodec.encode(TaskEvent.submitted(t.taskId(), type, "test"))));
        return t.taskId();
    }

    TaskRunner runnerOn(TaskStore s, Duration lease) {
        // Completion events have no subscriber here; the in-process bus drops them by design.
        return new TaskRunner(s, BuiltInHandlers.all(), new InProcessEventBus(16, Duration.ofSeconds(1)),
                RunnerSettings.DEFAULTS.withLease(lease), Clock.systemUTC());
    }

    @Nested
    class LongTasks {
        @Test
        void a_task_that_outlives_the_visibility_timeout_keeps_its_message_hidden_and_out_of_the_dead_letter_queue() {
            String dead = queue(Map.of());
            // Visibility 2 s and maxReceiveCount 1: a second receive of the message moves it to the DLQ.
            String work = queue(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2",
                    QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"1\",\"deadLetterTargetArn\":\"" + queueArn(dead) + "\"}"));
            Duration lease = Duration.ofSeconds(3);
            TaskRunner r = runnerOn(store, lease);
            AtomicInteger deliveries = new AtomicInteger();
            SqsEventSource source = new SqsEventSource(clients.sqs(), work, lease, 1, Clock.systemUTC());
            source.start(e -> {
                deliveries.incrementAndGet();
                return r.run(e);
            }, 2);
            try {
                // about 9 s: three times the lease, four and a half times the queue's visibility timeout
                String id = submitTo(work, "example", "{\"steps\":6,\"step_ms\":1500}");
                Eventually.await("the long task to succeed", Duration.ofSeconds(60),
                        () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
                Eventually.await("its message to be deleted", Duration.ofSeconds(30), () -> messagesIn(work) == 0);
                assertThat(messagesIn(dead)).as("messages moved to the dead-letter queue").isZero();
                assertThat(deliveries.get()).isEqualTo(1);
                assertThat(store.get(id).orElseThrow().attempt()).isEqualTo(1);
                ScenarioReport report = ScenarioReport.lifecycle("aws-sqs-visibility-long-task",
                        "SQS visibility during a long task (9 s task, 2 s visibility timeout, maxReceiveCount 1: "
                                + "extended while it runs, never in the DLQ)", "memory + sqs (fauxqs)");
                report.recordRun(store, List.of(id), null, deliveries.get(), 0);
                report.write();
                report.assertLifecycleZeros();
            } finally {
                source.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    @Nested
    class FailedHeartbeats {
        @Test
        void a_failed_visibility_extension_is_logged_once_and_the_next_one_keeps_the_message_hidden() throws Exception {
            String dead = queue(Map.of());
            String work = queue(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2",
                    QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"1\",\"deadLetterTargetArn\":\"" + queueArn(dead) + "\"}"));
            URI fauxqs = StandIns.get().fauxqs();
            try (FaultProxy proxy = FaultProxy.http(fauxqs.getHost(), fauxqs.getPort())) {
                Map<String, String> env = AwsTestEnv.env();
                env.put("AWS_ENDPOINT_URL_SQS", proxy.endpoint());
                // Not retryable, so exactly one extension fails.
                proxy.failMatching("ChangeMessageVisibility", 1, new HttpFault(400, "application/x-amz-json-1.0",
                        "{\"__type\":\"com.amazonaws.sqs#InvalidParameterValue\",\"message\":\"injected\"}"));
                Duration lease = Duration.ofSeconds(3);
                TaskRunner r = runnerOn(store, lease);
                AtomicInteger deliveries = new AtomicInteger();
                try (AwsClients viaProxy = new AwsClients(env); CapturedStderr log = CapturedStderr.start()) {
                    SqsEventSource source = new SqsEventSource(viaProxy.sqs(), work, lease, 1, Clock.systemUTC());
                    source.start(e -> {
                        deliveries.incrementAndGet();
                        return r.run(e);
                    }, 2);
                    try {
                        String id = submitTo(work, "example", "{\"steps\":6,\"step_ms\":1000}");
                        Eventually.await("the task to succeed", Duration.ofSeconds(60),
                                () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
                        Eventually.await("its message to be deleted", Duration.ofSeconds(30), () -> messagesIn(work) == 0);
                    } finally {
                        source.shutdown(Duration.ofSeconds(5));
                    }
                    assertThat(proxy.requestsFaulted()).isEqualTo(1);
                    assertThat(messagesIn(dead)).as("messages moved to the dead-letter queue").isZero();
                    assertThat(deliveries.get()).isEqualTo(1);
                    List<String> heartbeat = log.lines(work, "ChangeMessageVisibility");
                    assertThat(heartbeat).hasSize(2);
                    assertThat(heartbeat.getFirst()).contains("failed: InvalidParameterValue (HTTP 400)");
                    assertThat(heartbeat.getLast()).contains("works again after 1 failure");
                }
            }
        }
    }

    @Nested
    class LongPolls {
        @Test
        void a_call_timeout_below_the_long_poll_wait_neither_fails_receives_nor_strands_messages() throws Exception {
            Map<String, String> env = AwsTestEnv.env();
            env.put("TASKS_AWS_CALL_TIMEOUT_SECONDS", "1");
            // A message taken by an abandoned receive would stay hidden for 5 minutes, far past this test.
            String work = queue(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "300"));
            try (AwsClients shortCalls = new AwsClients(env); CapturedStderr log = CapturedStderr.start()) {
                SqsEventSource source = new SqsEventSource(shortCalls.sqs(), work, Duration.ofSeconds(30), 5, Clock.systemUTC());
                TaskRunner r = runnerOn(store, Duration.ofSeconds(30));
                source.start(r::run, 2);
                try {
                    Thread.sleep(2_500); // the consumers sit in their first 5 s polls of an empty queue
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        ids.add(submitTo(work, "noop", "{}"));
                        Thread.sleep(1_200);
                    }
                    Eventually.await("the tasks to succeed", Duration.ofSeconds(60), () -> ids.stream()
                            .allMatch(id -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED));
                } finally {
                    source.shutdown(Duration.ofSeconds(5));
                }
                assertThat(log.lines(work, "ReceiveMessage")).as("failed receives logged").isEmpty();
            }
        }
    }

    @Nested
    class RepeatedFailures {
        @Test
        void receives_that_keep_failing_are_logged_once_and_the_recovery_once() throws Exception {
            String work = queue(Map.of());
            URI fauxqs = StandIns.get().fauxqs();
            try (FaultProxy proxy = FaultProxy.http(fauxqs.getHost(), fauxqs.getPort())) {
                Map<String, String> env = AwsTestEnv.env();
                env.put("AWS_ENDPOINT_URL_SQS", proxy.endpoint());
                proxy.failNext(1_000_000, HttpFault.internalServerError());
                try (AwsClients viaProxy = new AwsClients(env); CapturedStderr log = CapturedStderr.start()) {
                    SqsEventSource source = new SqsEventSource(viaProxy.sqs(), work, Duration.ofSeconds(30), 1, Clock.systemUTC());
                    TaskRunner r = runnerOn(store, Duration.ofSeconds(30));
                    source.start(r::run, 1);
                    try {
                        // each ReceiveMessage call makes up to 3 attempts (the SDK's retries)
                        Eventually.await("four failed receives", Duration.ofSeconds(60), () -> proxy.requestsFaulted() >= 12);
                        assertThat(log.lines(work, "ReceiveMessage")).as("receive failures logged").hasSize(1);
                        proxy.clearHttpFaults();
                        String id = submitTo(work, "noop", "{}");
                        Eventually.await("the task to succeed once SQS answers again", Duration.ofSeconds(90),
                                () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
                        assertThat(log.lines(work, "ReceiveMessage")).as("receive failures and the recovery").hasSize(2);
                        assertThat(log.lines(work, "ReceiveMessage").getLast()).contains("works again");
                    } finally {
                        source.shutdown(Duration.ofSeconds(5));
                    }
                }
            }
        }

        @Test
        void runs_that_keep_failing_are_logged_once_per_interval_not_once_per_message() throws Exception {
            String work = queue(Map.of());
            TaskStore broken = LocalServices.closedRedisStore();
            TaskRunner r = runnerOn(broken, Duration.ofSeconds(30));
            AtomicInteger runs = new AtomicInteger();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(submitTo(work, "noop", "{}"));
            }
            try (CapturedStderr log = CapturedStderr.start()) {
                SqsEventSource source = new SqsEventSource(clients.sqs(), work, Duration.ofSeconds(30), 1, Clock.systemUTC());
                source.start(e -> {
                    runs.incrementAndGet();
                    return r.run(e);
                }, 1);
                try {
                    Eventually.await("all four events to fail once", Duration.ofSeconds(60), () -> runs.get() >= 4);
                } finally {
                    source.shutdown(Duration.ofSeconds(5));
                }
                long failureLines = log.lines().stream().filter(l -> ids.stream().anyMatch(l::contains)).count();
                assertThat(failureLines).as("lines about the failing runs").isEqualTo(1);
            }
        }
    }
}
