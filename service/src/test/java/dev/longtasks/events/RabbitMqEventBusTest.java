package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.longtasks.handlers.NoopHandler;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandler;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.CapturedStderr;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The RabbitMQ bus against the real broker (AMQP_URL), with exchange and queues unique to each test. */
class RabbitMqEventBusTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private RabbitMqSettings settings;
    private RabbitMqEventBus bus;
    private TaskStore store;
    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger executions = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    /** Blocks its first attempt until the test releases it; counts every execution. */
    private final class GateHandler implements TaskHandler {
        @Override
        public String type() {
            return "gate";
        }

        @Override
        public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
            executions.incrementAndGet();
            if (!release.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
            return Json.MAPPER.createObjectNode().put("attempt", context.attempt());
        }
    }

    private final TaskHandlers handlers = TaskHandlers.of(List.of(new NoopHandler(), new GateHandler()));

    @BeforeEach
    void connect() {
        LocalServices.requireRabbitMq();
        String run = "longtasks-test-" + UUID.randomUUID().toString().substring(0, 8);
        settings = RabbitMqSettings.fromEnv(System.getenv()).withNames(run + ".events", run + ".tasks").withLimits(1, 10);
        bus = RabbitMqEventBus.connect(settings);
        store = MemoryTaskStore.builder().clock(clock).build();
    }

    @AfterEach
    void cleanUp() {
        release.countDown();
        if (bus != null) {
            bus.deleteTopology();
            bus.shutdown(Duration.ofSeconds(5));
        }
    }

    private TaskRunner runner(TaskStore s, Duration lease) {
        return new TaskRunner(s, handlers, bus, RunnerSettings.DEFAULTS.withLease(lease), clock);
    }

    private TaskService service() {
        return new TaskService(store, bus, handlers, clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
    }

    private Connection admin() {
        return RabbitMqEventBus.open(settings, "longtasks-test-admin");
    }

    private static long ready(Channel ch, String queue) throws IOException {
        return ch.queueDeclarePassive(queue).getMessageCount();
    }

    /** Messages waiting in any retry tier. */
    private long retrying(Channel ch) throws IOException {
        long n = 0;
        for (String q : settings.retryQueues()) {
            n += ready(ch, q);
        }
        return n;
    }

    @Nested
    class Delivery {
        @Test
        void submitted_tasks_are_delivered_run_and_acked() throws Exception {
            bus.source().start(runner(store, Duration.ofSeconds(30))::run, 8);
            TaskService service = service();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add(service.submit("noop", Json.MAPPER.createObjectNode(), null).taskId());
            }
            Eventually.await("all 200 tasks SUCCEEDED", LIMIT, () -> store.getAll(ids).values().stream()
                    .filter(t -> t.status() == TaskStatus.SUCCEEDED).count() == ids.size());
            assertThat(store.getAll(ids).values()).allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                Eventually.await("the work queue to drain", LIMIT, () -> {
                    try {
                        return ready(ch, settings.queue()) == 0 && ch.queueDeclarePassive(settings.queue()).getConsumerCount() == 1;
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(ready(ch, settings.deadLetterQueue())).isZero();
            }
        }

        @Test
        void a_batch_is_published_with_one_wait_for_all_confirms() throws Exception {
            List<TaskEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                events.add(TaskEvent.submitted(UUID.randomUUID().toString(), "noop", "test"));
            }
            bus.publishAll(events);
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                assertThat(ready(ch, settings.queue())).isEqualTo(500);
                GetResponse first = ch.basicGet(settings.queue(), true);
                JsonNode body = Json.MAPPER.readTree(first.getBody());
                assertThat(body.get("task_id").asText()).isEqualTo(events.getFirst().taskId());
                assertThat(body.get("event").asText()).isEqualTo("task.submitted");
                assertThat(body.has("data")).isFalse();
                assertThat(first.getProps().getDeliveryMode()).isEqualTo(2);
                assertThat(first.getProps().getHeaders().get("event_type").toString()).isEqualTo("task.submitted");
            }
        }

        @Test
        void a_submission_nobody_could_receive_is_refused() throws Exception {
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                ch.queueUnbind(settings.queue(), settings.exchange(), "task.submitted");
            }
            assertThatThrownBy(() -> bus.publish(TaskEvent.submitted(UUID.randomUUID().toString(), "noop", "test")))
                    .isInstanceOf(EventPublishException.class)
                    .hasMessageContaining("no queue is bound to routing key 'task.submitted'");
        }

        @Test
        void an_unreachable_broker_is_named_with_host_and_port() {
            RabbitMqSettings nowhere = new RabbitMqSettings("amqp://guest:guest@127.0.0.1:1", "x.events", "x.tasks",
                    Duration.ofSeconds(1), 1, 1);
            assertThatThrownBy(() -> RabbitMqEventBus.connect(nowhere))
                    .isInstanceOf(EventPublishException.class)
                    .hasMessageStartingWith("RabbitMQ at 127.0.0.1:1 is unreachable");
        }
    }

    @Nested
    class Redelivery {
        @Test
        void a_message_unacked_by_a_departed_worker_is_redelivered_held_back_and_never_run_twice() throws Exception {
            TaskRunner runnerA = runner(store, Duration.ofSeconds(2));
            RabbitMqEventSource workersA = bus.source();
            workersA.start(runnerA::run, 1);
            String id = service().submit("gate", Json.MAPPER.createObjectNode(), null).taskId();
            Eventually.await("worker A to start the task", LIMIT, () -> executions.get() == 1);

            // Worker A's channel goes away without an ack: the broker hands the message to worker B.
            workersA.shutdown(Duration.ZERO);
            Queue<RunOutcome> seenByB = new ConcurrentLinkedQueue<>();
            TaskRunner runnerB = runner(store, Duration.ofSeconds(2));
            bus.source().start(event -> {
                RunOutcome o = runnerB.run(event);
                seenByB.add(o);
                return o;
            }, 1);
            // A still heartbeats its lease (its process lives), so B is held off and retries later.
            Eventually.await("worker B to be held off twice", LIMIT,
                    () -> seenByB.stream().filter(o -> o instanceof RunOutcome.HeldElsewhere).count() >= 2);
            assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);

            release.countDown();
            Eventually.await("the task to succeed", LIMIT, () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
            Eventually.await("B to see the task done", LIMIT, () -> seenByB.stream().anyMatch(o -> o instanceof RunOutcome.NothingToDo));
            Task done = store.get(id).orElseThrow();
            assertThat(done.attempt()).isEqualTo(1);
            assertThat(executions.get()).isEqualTo(1);
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                assertThat(ready(ch, settings.queue()) + retrying(ch)).isZero();
            }
        }
    }

    @Nested
    class RetryDelays {
        @Test
        void a_short_retry_is_not_held_behind_a_long_one() throws Exception {
            Task longHeld = Task.pending(UUID.randomUUID().toString(), "noop", "{}", clock.instant(), 3600);
            Task shortHeld = Task.pending(UUID.randomUUID().toString(), "noop", "{}", clock.instant(), 3600);
            store.create(longHeld);
            store.create(shortHeld);
            // Other workers hold both: one for a minute, one for five seconds.
            store.claim(longHeld.taskId(), 60_000).orElseThrow();
            store.claim(shortHeld.taskId(), 5_000).orElseThrow();
            bus.publish(TaskEvent.submitted(longHeld.taskId(), "noop", "test"));
            bus.publish(TaskEvent.submitted(shortHeld.taskId(), "noop", "test"));
            bus.source().start(runner(store, Duration.ofSeconds(30))::run, 1);

            Eventually.await("the task held for 5 s to be taken over and succeed", Duration.ofSeconds(40),
                    () -> store.get(shortHeld.taskId()).orElseThrow().status() == TaskStatus.SUCCEEDED);
            assertThat(store.get(shortHeld.taskId()).orElseThrow().attempt()).isEqualTo(2);
            assertThat(store.get(longHeld.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        }

        @Test
        void a_retry_left_in_the_previous_versions_retry_queue_still_comes_back_and_runs() throws Exception {
            // What an older version left behind on upgrade: one retry queue with per-message TTLs.
            String legacy = settings.queue() + ".retry";
            String id = UUID.randomUUID().toString();
            store.create(Task.pending(id, "noop", "{}", clock.instant(), 3600));
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                ch.queueDeclare(legacy, true, false, false, Map.of(
                        "x-dead-letter-exchange", "", "x-dead-letter-routing-key", settings.queue()));
                ch.basicPublish("", legacy, MessageProperties.PERSISTENT_BASIC.builder().expiration("1000").build(),
                        TaskEventCodec.encodeBytes(TaskEvent.submitted(id, "noop", "test")));
            }
            bus.source().start(runner(store, Duration.ofSeconds(30))::run, 1);
            Eventually.await("the task to succeed", LIMIT, () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                assertThat(ready(ch, legacy)).isZero();
                ch.queueDelete(legacy);
            }
        }
    }

    @Nested
    class RepeatedFailures {
        @Test
        void a_store_that_keeps_failing_is_logged_once_per_interval_not_once_per_delivery() throws Exception {
            TaskRunner broken = runner(LocalServices.closedRedisStore(), Duration.ofSeconds(30));
            AtomicInteger runs = new AtomicInteger();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(UUID.randomUUID().toString());
            }
            try (CapturedStderr log = CapturedStderr.start()) {
                bus.source().start(e -> {
                    runs.incrementAndGet();
                    return broken.run(e);
                }, 1);
                ids.forEach(id -> bus.publish(TaskEvent.submitted(id, "noop", "test")));
                Eventually.await("every event to fail at least once", LIMIT, () -> runs.get() >= 4);
                long lines = log.lines().stream().filter(l -> ids.stream().anyMatch(l::contains)).count();
                assertThat(lines).as("lines about the failing deliveries").isEqualTo(1);
            }
        }
    }

    @Nested
    class ChannelErrors {
        @Test
        void a_consumer_channel_closed_by_the_broker_is_replaced_and_work_goes_on() throws Exception {
            RabbitMqEventSource workers = bus.source();
            workers.start(runner(store, Duration.ofSeconds(30))::run, 4);
            Channel first = workers.channel();
            // Acking a tag the broker never issued is a channel error (PRECONDITION_FAILED): the broker
            // closes this channel only, as it does when a delivery outlives its consumer_timeout.
            first.basicAck(999_999, false);
            Eventually.await("a new consumer channel", LIMIT, () -> workers.channel() != first && workers.channel().isOpen());
            assertThat(first.isOpen()).isFalse();
            String id = service().submit("noop", Json.MAPPER.createObjectNode(), null).taskId();
            Eventually.await("the task to succeed on the new channel", LIMIT,
                    () -> store.get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
        }
    }

    @Nested
    class DeadLetters {
        @Test
        void a_message_that_is_not_a_task_event_goes_to_the_dead_letter_queue() throws Exception {
            bus.source().start(runner(store, Duration.ofSeconds(30))::run, 2);
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                ch.basicPublish("", settings.queue(), MessageProperties.PERSISTENT_BASIC, "not json".getBytes(StandardCharsets.UTF_8));
                GetResponse dead = Eventually.value("a dead letter", LIMIT, () -> get(ch, settings.deadLetterQueue()));
                assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("not json");
                assertThat(dead.getProps().getHeaders().get(RabbitMqEventSource.REASON_HEADER).toString())
                        .startsWith("not a task event");
            }
        }

        @Test
        void an_event_whose_store_keeps_failing_is_retried_then_dead_lettered() throws Exception {
            LocalServices.requireRedis();
            RedisTaskStore broken = RedisTaskStore.builder().url(LocalServices.redisUrl())
                    .keyPrefix("longtasks-test-" + UUID.randomUUID() + ":").build();
            broken.close(); // every call now fails the way an unreachable Redis does
            bus.source().start(runner(broken, Duration.ofSeconds(30))::run, 2);
            String id = UUID.randomUUID().toString();
            bus.publish(TaskEvent.submitted(id, "noop", "test"));
            try (Connection c = admin(); Channel ch = c.createChannel()) {
                GetResponse dead = Eventually.value("a dead letter", LIMIT, () -> get(ch, settings.deadLetterQueue()));
                assertThat(TaskEventCodec.decode(dead.getBody()).orElseThrow().taskId()).isEqualTo(id);
                assertThat(dead.getProps().getHeaders().get(RabbitMqEventSource.RETRIES_HEADER)).isEqualTo(1);
                assertThat(dead.getProps().getHeaders().get(RabbitMqEventSource.REASON_HEADER).toString())
                        .startsWith("failed 2 times; last error: Redis at ");
                assertThat(ready(ch, settings.queue()) + retrying(ch)).isZero();
            }
        }

        private static GetResponse get(Channel ch, String queue) {
            try {
                return ch.basicGet(queue, true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void settings_refuse_a_url_that_is_not_amqp() {
        assertThatThrownBy(() -> new RabbitMqSettings("http://x", "a", "b", Duration.ofSeconds(1), 1, 1))
                .hasMessageContaining("is not an AMQP URL");
    }

}
