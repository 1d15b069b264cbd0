package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import dev.longtasks.wiring.TaskSystem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * One API process and two worker processes (separate JVMs running {@link LocalMain}) on the real
 * Redis and RabbitMQ, with names unique to this run. Handler executions are counted in Redis by
 * the test-only {@link RedisCountingHandler}; completions are counted from the {@code task.succeeded}
 * / {@code task.failed} events the workers publish.
 */
class SelfHostedProcessesTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");
    private static final int WORKERS_PER_PROCESS = 16;
    private static final Duration LIMIT = Duration.ofSeconds(180);

    @TempDir
    Path logs;

    private final String run = "longtasks-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, AtomicInteger> completions = new ConcurrentHashMap<>();
    private final Queue<String> failedEvents = new ConcurrentLinkedQueue<>();
    private Connection observer;
    private RedisTaskStore store;
    private RedisClient redis;

    @BeforeEach
    void observeCompletions() throws Exception {
        LocalServices.requireRedis();
        LocalServices.requireRabbitMq();
        store = RedisTaskStore.builder().url(LocalServices.redisUrl()).keyPrefix(run + ":").build();
        redis = RedisClient.create(URI.create(LocalServices.redisUrl()));
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(LocalServices.amqpUrl());
        observer = f.newConnection("longtasks-test-observer");
        Channel ch = observer.createChannel();
        ch.exchangeDeclare(run + ".events", BuiltinExchangeType.TOPIC, true);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, run + ".events", "task.succeeded");
        ch.queueBind(q, run + ".events", "task.failed");
        DeliverCallback count = (tag, d) -> {
            String id = Json.MAPPER.readTree(d.getBody()).get("task_id").asText();
            completions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (d.getEnvelope().getRoutingKey().equals("task.failed")) {
                failedEvents.add(id);
            }
        };
        ch.basicConsume(q, true, count, tag -> { });
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
            redis.close();
        }
        if (observer != null) { // both servers were there
            observer.close();
            LocalServices.deleteSelfHosted(run);
        }
    }

    private Process start(String name, String role) throws IOException {
        return start(name, role, Map.of());
    }

    private Map<String, String> serviceEnv() {
        Map<String, String> env = LocalServices.selfHostedEnv(run, WORKERS_PER_PROCESS);
        env.put("TASKS_HANDLER_CLASSES", RedisCountingHandler.class.getName());
        env.put("TASKS_LEASE_SECONDS", "3");
        env.put("TASKS_SHUTDOWN_GRACE_SECONDS", "0");
        return env;
    }

    private Process start(String name, String role, Map<String, String> overrides) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LocalMain.class.getName());
        Map<String, String> env = pb.environment();
        env.putAll(serviceEnv());
        env.put("TASKS_ROLE", role);
        env.put("PORT", "0");
        env.putAll(overrides);
        pb.redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private String log(String name) {
        try {
            return Files.readString(logs.resolve(name + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private int awaitPort() {
        return Eventually.value("the API process to listen", LIMIT, () -> {
            Matcher m = LISTENING.matcher(log("api"));
            return m.find() ? Integer.parseInt(m.group(1)) : null;
        });
    }

    private void awaitWorker(String name) {
        Eventually.await(name + " to start", LIMIT, () -> log(name).contains("running tasks only"));
    }

    private List<String> submit(HttpCalls http, int count, String data) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(clients.submit(() -> http.submit("/v1/tasks", "{\"type\":\"count\",\"data\":" + data + "}")));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : ids) {
                out.add(f.get());
            }
            return out;
        } finally {
            clients.shutdown();
        }
    }

    private long count(Collection<String> ids, TaskStatus status) {
        return store.getAll(ids).values().stream().filter(t -> t.status() == status).count();
    }

    private Map<String, Integer> executions() {
        Map<String, Integer> out = new HashMap<>();
        redis.hgetAll(run + ":executions").forEach((k, v) -> out.put(k, Integer.parseInt(v)));
        return out;
    }

    @Test
    void tasks_complete_exactly_once_across_processes_and_survive_a_worker_killed_with_sigkill() throws Exception {
        start("api", "api");
        Process workerA = start("worker-a", "worker");
        start("worker-b", "worker");
        HttpCalls http = new HttpCalls(awaitPort());
        awaitWorker("worker-a");
        awaitWorker("worker-b");

        // 1. 2,000 tasks, both workers healthy: each runs once and completes once.
        List<String> first = submit(http, 2_000, "{}");
        Eventually.await("2,000 tasks to succeed", LIMIT, () -> count(first, TaskStatus.SUCCEEDED) == first.size());
        assertThat(store.getAll(first).values()).allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
        Eventually.await("a completion event per task", LIMIT, () -> first.stream().allMatch(completions::containsKey));
        Map<String, Integer> runs = executions();
        assertThat(first).allSatisfy(id -> {
            assertThat(runs.get(id)).as("executions of %s", id).isEqualTo(1);
            assertThat(completions.get(id).get()).as("completions of %s", id).isEqualTo(1);
        });
        assertThat(log("worker-a")).contains("ended SUCCEEDED");
        assertThat(log("worker-b")).contains("ended SUCCEEDED");
        assertThat(log("api")).doesNotContain("ended SUCCEEDED");

        // 2. Tasks that take a while; worker A is killed mid-run (SIGKILL: no shutdown hook, no acks).
        List<String> second = submit(http, 400, "{\"steps\":4,\"step_ms\":100}");
        Eventually.await("a quarter of the tasks to succeed", LIMIT, () -> count(second, TaskStatus.SUCCEEDED) >= 100);
        workerA.destroyForcibly();
        assertThat(workerA.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(workerA.exitValue()).isEqualTo(137);

        Eventually.await("every task to end", LIMIT, () -> store.getAll(second).values().stream()
                .filter(t -> t.status().isTerminal()).count() == second.size());
        Map<String, Task> ended = store.getAll(second);
        assertThat(ended).hasSize(second.size());
        assertThat(ended.values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED));
        List<Task> retaken = ended.values().stream().filter(t -> t.attempt() == 2).toList();
        // A held at most its prefetch (one message per worker slot) when it died; all of those
        // were re-claimed with attempt 2 after their lease passed, and nothing else was.
        assertThat(retaken).isNotEmpty().hasSizeLessThanOrEqualTo(WORKERS_PER_PROCESS);
        assertThat(ended.values()).allSatisfy(t -> assertThat(t.attempt()).isBetween(1, 2));
        // Completion events are at least once: the end state is recorded, the event published, then
        // completion_sent marked. A worker killed before the publish owes the event, and the
        // redelivered task event sends it; one killed between the publish and the mark makes the
        // redelivery send it a second time. So every task gets one, and only tasks worker A held
        // when it died (at most its prefetch) may get two.
        Eventually.await("a completion event per task", LIMIT, () -> second.stream().allMatch(completions::containsKey));
        Map<String, Integer> runs2 = executions();
        assertThat(second).allSatisfy(id -> {
            assertThat(completions.get(id).get()).as("completions of %s", id).isBetween(1, 2);
            // One start per attempt (the killed attempt may have died before its handler began).
            assertThat(runs2.get(id)).as("executions of %s", id).isBetween(1, ended.get(id).attempt());
        });
        assertThat(second.stream().filter(id -> completions.get(id).get() == 2).count())
                .as("tasks whose completion event came twice").isLessThanOrEqualTo(WORKERS_PER_PROCESS);
        assertThat(failedEvents).isEmpty();
        System.out.printf("killed worker A: %d of %d tasks were re-claimed with attempt 2 and ran %d times in all%n",
                retaken.size(), second.size(), runs2.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(log("worker-b")).contains("attempt 2 started");
    }

    @Test
    void a_task_whose_workers_keep_dying_ends_failed_once_the_attempts_are_used_up() throws Exception {
        Map<String, String> oneAttempt = Map.of("TASKS_MAX_ATTEMPTS", "1");
        Map<String, String> apiEnv = serviceEnv();
        apiEnv.put("TASKS_ROLE", "api");
        try (TaskSystem api = TaskSystem.start(ServiceSettings.fromEnv(apiEnv))) {
            Process first = start("worker-a", "worker", oneAttempt);
            awaitWorker("worker-a");
            String id = api.service().submit("count", Json.read("{\"steps\":100,\"step_ms\":100}"), null).taskId();
            Eventually.await("worker A to run the task", LIMIT, () -> store.get(id).orElseThrow().progress() != null);
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();

            start("worker-b", "worker", oneAttempt);
            Task failed = Eventually.value("the task to end", LIMIT,
                    () -> store.get(id).filter(t -> t.status().isTerminal()).orElse(null));
            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.attempt()).isEqualTo(2);
            assertThat(failed.error().type()).isEqualTo("MaxAttemptsExceeded");
            assertThat(failed.error().message())
                    .isEqualTo("the task was claimed 2 times; the limit is 1 (a worker probably crashed or timed out on each attempt)");
            assertThat(executions().get(id)).isEqualTo(1);
            Eventually.await("the task.failed event", LIMIT, () -> failedEvents.contains(id));
        }
    }
}
