package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.handlers.NoopHandler;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.store.RedisKeysAccess;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
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
        env.putAll(Map.of("TASKS_RECONCILE_INTERVAL_SECONDS", "1",
                "TASKS_DISPATCH_GRACE_SECONDS", Long.toString(GRACE.toSeconds()),
                "TASKS_LEASE_SECONDS", Long.toString(LEASE.toSeconds()), "TASKS_WORKERS", "2"));
        return TaskSystem.start(ServiceSettings.fromEnv(env), BuiltInHandlers.all(), clock);
    }

    /** The three stranded tasks. */
    record Stranded(String neverPublished, String deadWorker, String exhausted) {
        List<String> ids() {
            return List.of(neverPublished, deadWorker, exhausted);
        }
    }

    /**
     * Leaves three tasks stranded in {@code store}: one stored by a process killed before it
     * published, one claimed by a worker that died, one claimed by three workers that each died.
     */
    static Stranded strand(TaskStore store, MutableClock clock) {
        RecordingTaskStore writes = new RecordingTaskStore(store);
        String neverPublished = storedByAKilledProcess(writes, clock);
        String deadWorker = storedByAKilledProcess(writes, clock);
        String exhausted = storedByAKilledProcess(writes, clock);
        assertThat(store.claim(deadWorker, LEASE.toMillis())).isPresent();
        // On Lambda: three invocations, each killed, and no fourth.
        for (int i = 0; i < 3; i++) {
            assertThat(store.claim(exhausted, LEASE.toMillis())).isPresent();
            clock.advance(LEASE.plusSeconds(1));
        }
        return new Stranded(neverPublished, deadWorker, exhausted);
    }

    static void check(String slug, String backend, MutableClock clock, TaskSystem system, Stranded tasks) {
        TaskStore store = system.store();
        ScenarioReport report = new ScenarioReport(slug,
                "stranded tasks (killed between put and publish; dead worker; every attempt died)", backend);
        clock.advance(GRACE);
        Eventually.await("every stranded task to end", Duration.ofSeconds(20),
                () -> tasks.ids().stream().allMatch(id -> store.get(id).map(t -> t.status().isTerminal()).orElse(false)));

        assertThat(store.get(tasks.neverPublished()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        Task reclaimed = store.get(tasks.deadWorker()).orElseThrow();
        assertThat(reclaimed.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(reclaimed.attempt()).isEqualTo(2);
        Task failed = store.get(tasks.exhausted()).orElseThrow();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo(TaskError.MAX_ATTEMPTS_EXCEEDED);
        assertThat(failed.attempt()).isEqualTo(3);
        report.recordRun(store, tasks.ids(), null, 0, 0);
        report.write();
        assertThat(report.lost()).isZero();
    }

    /** Stores a task as the API does, in a process that is killed before it publishes the event. */
    static String storedByAKilledProcess(RecordingTaskStore writes, MutableClock clock) {
        Set<String> before = writes.createdIds();
        TaskService killedBeforePublish = new TaskService(writes, event -> {
            throw new IllegalStateException("process killed between the put and the publish (injected)");
        }, BuiltInHandlers.all(), clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
        try {
            killedBeforePublish.submit(NoopHandler.TYPE, Json.MAPPER.createObjectNode(), null);
        } catch (IllegalStateException expected) {
            // the process is gone; what it stored is all that is left
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return writes.createdIds().stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
    }
}
