package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.store.RedisKeysAccess;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import dev.longtasks.testing.MutableClock;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Tasks nobody would ever move on, on each store, with the system's own reconciler running every
 * second: a task stored by a process killed between the put and the publish, a task whose worker
 * died holding it, and a task whose every attempt died. Time is moved with a {@link MutableClock}
 * by the lease and the dispatch grace and no further; the reconciler's next pass (at most one
 * interval of real time later) must end all three, without a human.
 */
class StrandedTasksScenarioTest {
    static final Duration GRACE = Duration.ofSeconds(60);
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /**
     * Real time a pass and the re-published run may take on the shared, loaded test machine (a
     * DynamoDB pass on dynalite took 6.8 s there once, while a soak and other builds ran).
     */
    static final Duration PASS_ALLOWANCE = Duration.ofSeconds(10);
    static final CountingHandler HANDLER = CountingHandler.instant();

    @Nested
    class On_memory {
        @Test
        void stranded_tasks_end_within_grace_and_one_reconcile_interval() throws Exception {
            MutableClock clock = MutableClock.startingNow();
            try (TaskSystem system = system(clock)) {
                // The memory store lives in the system: the setup takes microseconds, well before
                // the reconciler's first pass one interval after the start.
                Stranded tasks = strand(system.store(), clock);
                check("core-stranded-tasks", "memory", clock, system, tasks);
            }
        }
    }

    @Nested
    class On_redis {
        @Test
        void stranded_tasks_end_within_grace_and_one_reconcile_interval() throws Exception {
            LocalServices.requireRedis();
            String prefix = "longtasks-test-" + UUID.randomUUID() + ":";
            MutableClock clock = MutableClock.startingNow();
            try (TaskStore before = RedisTaskStore.builder().url(LocalServices.redisUrl()).keyPrefix(prefix).clock(clock).build()) {
                Stranded tasks = strand(before, clock);
                try (TaskSystem system = system(clock, "TASKS_STORE", "redis", "REDIS_URL", LocalServices.redisUrl(),
                        "TASKS_REDIS_PREFIX", prefix)) {
                    check("selfhosted-stranded-tasks", "redis", clock, system, tasks);
                }
            } finally {
                RedisKeysAccess.deleteAll(LocalServices.redisUrl(), prefix);
            }
        }
    }

    @Nested
    class On_dynamodb {
        @Test
        void stranded_tasks_end_within_grace_and_one_reconcile_interval() throws Exception {
            try (AwsClients clients = AwsTestEnv.clients()) {
                String table = AwsTestEnv.createTable(clients.dynamoDb());
                Map<String, String> aws = AwsTestEnv.env();
                MutableClock clock = MutableClock.startingNow();
                try {
                    TaskStore before = DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).clock(clock).build();
                    Stranded tasks = strand(before, clock);
                    try (TaskSystem system = system(clock, "TASKS_STORE", "dynamodb", "TASKS_TABLE", table,
                            "AWS_REGION", aws.get("AWS_REGION"), "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                            "AWS_ENDPOINT_URL_DYNAMODB", aws.get("AWS_ENDPOINT_URL_DYNAMODB"))) {
                        check("aws-stranded-tasks", "dynamodb (dynalite)", clock, system, tasks);
                    }
                } finally {
                    clients.dynamoDb().deleteTable(r -> r.tableName(table));
                }
            }
        }
    }

    /** A system on the given store with the in-process bus and a reconcile interval of 1 s. */
    static TaskSystem system(MutableClock clock, String... storeEnv) {
        Map<String, String> env = Systems.env(storeEnv);
        env.putAll(Map.of("TASKS_RECONCILE_INTERVAL_SECONDS", Long.toString(INTERVAL.toSeconds()),
                "TASKS_DISPATCH_GRACE_SECONDS", Long.toString(GRACE.toSeconds()),
                "TASKS_LEASE_SECONDS", Long.toString(LEASE.toSeconds()), "TASKS_WORKERS", "2"));
        return TaskSystem.start(ServiceSettings.fromEnv(env), TaskHandlers.of(List.of(HANDLER)), clock);
    }

    /** The three stranded tasks. */
    record Stranded(String neverPublished, String deadWorker, String exhausted) {
        List<String> ids() {
            return List.of(neverPublished, deadWorker, exhausted);
        }
    }

    /**
     * Leaves three tasks stranded in {@code store}: one claimed by three workers that each died
     * (on Lambda: three invocations, each killed, and no fourth); then, at the clock's final time,
     * one stored by a process killed before it published and one claimed by a worker that died.
     */
    static Stranded strand(TaskStore store, MutableClock clock) {
        RecordingTaskStore writes = new RecordingTaskStore(store);
        String exhausted = storedByAKilledProcess(writes, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(store.claim(exhausted, LEASE.toMillis())).isPresent();
            clock.advance(LEASE.plusSeconds(1));
        }
        String neverPublished = storedByAKilledProcess(writes, clock);
        String deadWorker = storedByAKilledProcess(writes, clock);
        assertThat(store.claim(deadWorker, LEASE.toMillis())).isPresent();
        return new Stranded(neverPublished, deadWorker, exhausted);
    }

    /**
     * Moves the clock by the grace: the never-published task and the exhausted one (whose last
     * lease ended a second before) must end within one reconcile interval of real time (plus
     * {@link #PASS_ALLOWANCE} for the pass and the run on a loaded machine); the dead worker's task,
     * whose lease runs {@link #LEASE} longer, must still be RUNNING. Then moves it by the lease: the
     * dead worker's task must end within the same bound. One lifecycle report per case.
     */
    static void check(String slug, String backend, MutableClock clock, TaskSystem system, Stranded tasks) throws Exception {
        TaskStore store = system.store();
        int startsBefore = HANDLER.totalStarts();
        Thread.sleep(INTERVAL.toMillis() + 500); // at least one pass before anything is due
        assertThat(store.getAll(tasks.ids()).values()).as("nothing moves before the grace")
                .allSatisfy(t -> assertThat(t.status().isTerminal()).isFalse());

        clock.advance(GRACE);
        long firstMs = awaitEnded(store, List.of(tasks.neverPublished(), tasks.exhausted()));
        assertThat(store.get(tasks.deadWorker()).orElseThrow().status()).as("lease + grace not yet passed")
                .isEqualTo(TaskStatus.RUNNING);
        clock.advance(LEASE);
        long secondMs = awaitEnded(store, List.of(tasks.deadWorker()));

        assertThat(store.get(tasks.neverPublished()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        Task reclaimed = store.get(tasks.deadWorker()).orElseThrow();
        assertThat(reclaimed.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(reclaimed.attempt()).isEqualTo(2);
        Task failed = store.get(tasks.exhausted()).orElseThrow();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo(TaskError.MAX_ATTEMPTS_EXCEEDED);
        assertThat(failed.attempt()).isEqualTo(3);
        assertThat(HANDLER.starts(tasks.exhausted())).as("a task whose every attempt died is not run a fourth time").isZero();
        assertThat(HANDLER.totalStarts() - startsBefore).as("handler runs: the two re-published tasks, once each").isEqualTo(2);
        assertThat(Math.max(firstMs, secondMs)).as("wall time after the due moment until ended (ms)")
                .isLessThanOrEqualTo(INTERVAL.plus(PASS_ALLOWANCE).toMillis());

        report(slug + "-killed-between-put-and-publish", "killed between the put and the publish (API Lambda or process): "
                + "PENDING, no event; ends within grace + 1 interval", backend, store, tasks.neverPublished(), firstMs);
        report(slug + "-retries-exhausted", "retries exhausted (as on Lambda: 3 invocations, each killed, no 4th): "
                + "ends FAILED MaxAttemptsExceeded within grace + 1 interval", backend, store, tasks.exhausted(), firstMs);
        report(slug + "-dead-worker", "worker died holding a task (RUNNING, lease dead): re-published, "
                + "attempt 2 ends it within lease + grace + 1 interval", backend, store, tasks.deadWorker(), secondMs);
    }

    private static void report(String slug, String scenario, String backend, TaskStore store, String id, long recoverMs) {
        ScenarioReport report = ScenarioReport.lifecycle(slug, scenario, backend);
        report.recordRun(store, List.of(id), null, HANDLER.starts(id), recoverMs);
        report.write();
        report.assertLifecycleZeros();
    }

    /** Real time (ms) until every task in {@code ids} is in an end state. */
    private static long awaitEnded(TaskStore store, List<String> ids) {
        long start = System.nanoTime();
        Eventually.await("the stranded tasks to end", Duration.ofSeconds(20),
                () -> ids.stream().allMatch(id -> store.get(id).map(t -> t.status().isTerminal()).orElse(false)));
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Stores a task as the API does, in a process that is killed before it publishes the event. */
    static String storedByAKilledProcess(RecordingTaskStore writes, MutableClock clock) {
        Set<String> before = writes.createdIds();
        TaskService killedBeforePublish = new TaskService(writes, event -> {
            throw new IllegalStateException("process killed between the put and the publish (injected)");
        }, TaskHandlers.of(List.of(HANDLER)), clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
        try {
            killedBeforePublish.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode(), null);
        } catch (IllegalStateException expected) {
            // the process is gone; what it stored is all that is left
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return writes.createdIds().stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
    }
}
