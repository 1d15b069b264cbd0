package dev.longtasks.reliability;

import static dev.longtasks.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.fault.Fault;
import dev.longtasks.fault.FaultProxy;
import dev.longtasks.json.Json;
import dev.longtasks.task.EnqueueFailedException;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Self-hosted mode (Redis + RabbitMQ) under faults injected through {@link FaultProxy}:
 * the shared servers are never restarted; their connections are cut at the proxy.
 */
class SelfHostedFaultScenariosTest {

    static CountingHandler sleepy(long millis, boolean reportProgress) {
        return new CountingHandler((data, ctx) -> {
            for (int i = 1; i <= 4; i++) {
                Thread.sleep(millis / 4);
                if (reportProgress) {
                    ctx.progress(i * 25, "quarter " + i);
                }
            }
            return Json.MAPPER.createObjectNode().put("attempt", ctx.attempt());
        });
    }

    static boolean allEnded(RecordingTaskStore store, Collection<String> ids) {
        return store.getAll(ids).values().stream().filter(t -> t.status().isTerminal()).count() == ids.size();
    }

    @Nested
    class Broker_restart {
        static final int TASKS = 300;

        @Test
        void cutting_every_amqp_connection_and_refusing_for_3_s_loses_nothing_and_runs_nothing_twice() throws Exception {
            CountingHandler handler = sleepy(20, false);
            ScenarioReport report = new ScenarioReport("selfhosted-broker-restart",
                    "broker restart (all AMQP connections reset, refused for 3 s)", "redis + rabbitmq");
            try (SelfHostedRig rig = new SelfHostedRig(handler, Duration.ofSeconds(5))) {
                ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
                AtomicInteger enqueueFailed = new AtomicInteger();
                AtomicInteger next = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    done.add(clients.submit(() -> {
                        while (next.incrementAndGet() <= TASKS) {
                            try {
                                accepted.add(rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode(), null).taskId());
                            } catch (EnqueueFailedException e) {
                                enqueueFailed.incrementAndGet(); // the API would answer 503; the task is FAILED, not lost
                            }
                            Thread.sleep(5);
                        }
                        return null;
                    }));
                }
                await("a third submitted", Duration.ofSeconds(60), () -> accepted.size() >= TASKS / 3);
                rig.amqpProxy.resetAndRefuseFor(Duration.ofSeconds(3)).join();
                long restored = System.nanoTime();
                Set<String> beforeRestore = rig.store.createdIds();
                await("the tasks submitted up to the restore to end", Duration.ofSeconds(120),
                        () -> allEnded(rig.store, beforeRestore));
                long recoverMs = (System.nanoTime() - restored) / 1_000_000;
                for (Future<?> f : done) {
                    f.get();
                }
                clients.shutdown();
                Set<String> all = rig.store.createdIds();
                await("every task to end", Duration.ofSeconds(120), () -> allEnded(rig.store, all));

                assertThat(all).hasSize(TASKS);
                assertThat(rig.amqpProxy.connectionsReset()).isPositive();
                for (String id : all) {
                    Task t = rig.store.get(id).orElseThrow();
                    if (t.status() == TaskStatus.SUCCEEDED) {
                        assertThat(handler.completions(id)).as("handler completions of %s", id).isEqualTo(1);
                    } else {
                        assertThat(t.error().type()).isEqualTo("EnqueueFailed");
                    }
                }
                report.recordRun(rig.store, all, rig.store, handler.totalStarts(), recoverMs);
                report.write();
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
            }
        }
    }

    @Nested
    class Store_outage_while_running {
        static final int TASKS = 40;

        @Test
        void resetting_and_refusing_redis_for_3_s_mid_run_ends_every_task_exactly_once() throws Exception {
            CountingHandler handler = sleepy(400, true);
            ScenarioReport report = new ScenarioReport("selfhosted-redis-outage-while-running",
                    "store outage while tasks run (Redis reset, refused for 3 s)", "redis + rabbitmq");
            try (SelfHostedRig rig = new SelfHostedRig(handler, Duration.ofSeconds(3))) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    ids.add(rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), null).taskId());
                }
                await("tasks running", Duration.ofSeconds(30), () -> handler.totalStarts() >= 8);
                rig.redisProxy.resetAndRefuseFor(Duration.ofSeconds(3)).join();
                long restored = System.nanoTime();
                await("every task to end", Duration.ofSeconds(180), () -> allEnded(rig.store, ids));
                long recoverMs = (System.nanoTime() - restored) / 1_000_000;

                assertThat(rig.redisProxy.connectionsReset()).isPositive();
                report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), recoverMs);
                report.write();
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
                assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED));
            }
        }

        @Test
        void black_holing_redis_for_3_s_mid_run_ends_every_task_exactly_once() throws Exception {
            CountingHandler handler = sleepy(400, true);
            ScenarioReport report = new ScenarioReport("selfhosted-redis-blackhole-while-running",
                    "store outage while tasks run (Redis black-holed for 3 s)", "redis + rabbitmq");
            try (SelfHostedRig rig = new SelfHostedRig(handler, Duration.ofSeconds(3))) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    ids.add(rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), null).taskId());
                }
                await("tasks running", Duration.ofSeconds(30), () -> handler.totalStarts() >= 8);
                rig.redisProxy.blackHoleFor(Duration.ofSeconds(3)).join();
                long restored = System.nanoTime();
                await("every task to end", Duration.ofSeconds(180), () -> allEnded(rig.store, ids));
                long recoverMs = (System.nanoTime() - restored) / 1_000_000;

                report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), recoverMs);
                report.write();
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
                assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED));
            }
        }
    }

    @Nested
    class Slow_store {
        static final int TASKS = 40;

        @Test
        void a_redis_100_ms_away_slows_tasks_down_but_loses_none_and_runs_none_twice() throws Exception {
            CountingHandler handler = sleepy(400, true);
            ScenarioReport report = new ScenarioReport("selfhosted-slow-redis",
                    "slow store (every Redis round trip +100 ms)", "redis + rabbitmq");
            try (SelfHostedRig rig = new SelfHostedRig(handler, Duration.ofSeconds(3))) {
                rig.redisProxy.set(Fault.latency(Duration.ofMillis(50))); // each way
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    ids.add(rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), null).taskId());
                }
                await("every task to end", Duration.ofSeconds(180), () -> allEnded(rig.store, ids));
                report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), 0);
                report.write();
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
                assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> {
                    assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                    assertThat(t.attempt()).as("no lease was lost to the latency").isEqualTo(1);
                });
                ids.forEach(id -> assertThat(handler.starts(id)).isEqualTo(1));
            }
        }
    }
}
