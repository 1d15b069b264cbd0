package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.fault.FaultProxy;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The broker connection is cut twice while tasks are submitted and run (every open connection
 * through a {@link FaultProxy} is reset, so the shared broker itself is never restarted; new
 * connections pass straight through). The client reconnects on its own; no submit fails,
 * no task is lost and none runs twice.
 */
class RabbitMqConnectionLossTest {
    private static final int TASKS = 1_000;

    private final CountingHandler handler = new CountingHandler((data, context) -> {
        Thread.sleep(2);
        return Json.MAPPER.nullNode();
    });

    /** Resets every connection open through the proxy; new ones pass through at once. */
    private static void cutEveryConnection(FaultProxy proxy) {
        long before = proxy.connectionsReset();
        proxy.resetAll();
        assertThat(proxy.connectionsReset()).as("connections cut by the proxy").isGreaterThan(before);
    }

    @Test
    void cutting_the_connection_twice_loses_no_submission_and_runs_every_task_once() throws Exception {
        LocalServices.requireRabbitMq();
        URI broker = URI.create(LocalServices.amqpUrl());
        String run = "longtasks-test-" + UUID.randomUUID().toString().substring(0, 8);
        Clock clock = Clock.systemUTC();
        MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
        TaskHandlers handlers = TaskHandlers.of(List.of(handler));
        try (FaultProxy proxy = FaultProxy.tcp(broker.getHost(), broker.getPort() == -1 ? 5672 : broker.getPort())) {
            String viaProxy = broker.getScheme() + "://" + broker.getRawUserInfo() + "@127.0.0.1:" + proxy.port()
                    + (broker.getRawPath() == null ? "" : broker.getRawPath());
            RabbitMqSettings settings = new RabbitMqSettings(viaProxy, run + ".events", run + ".tasks",
                    Duration.ofSeconds(30), 5, 10);
            RabbitMqEventBus bus = RabbitMqEventBus.connect(settings);
            try {
                TaskRunner runner = new TaskRunner(store, handlers, bus, RunnerSettings.DEFAULTS.withLease(Duration.ofSeconds(3)), clock);
                bus.source().start(runner::run, 16);
                TaskService service = new TaskService(store, bus, handlers, clock, Duration.ofHours(1), "test",
                        TaskService.DEFAULT_MAX_INPUT_BYTES);
                Queue<String> ids = new ConcurrentLinkedQueue<>();
                AtomicInteger submitted = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(8);
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    done.add(clients.submit(() -> {
                        while (submitted.incrementAndGet() <= TASKS) {
                            ids.add(service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode(), null).taskId());
                        }
                        return null;
                    }));
                }
                Eventually.await("a third of the tasks submitted", Duration.ofSeconds(60), () -> ids.size() >= TASKS / 3);
                cutEveryConnection(proxy);
                Eventually.await("two thirds of the tasks submitted", Duration.ofSeconds(60), () -> ids.size() >= 2 * TASKS / 3);
                cutEveryConnection(proxy);
                for (Future<?> f : done) {
                    f.get(); // a submit that failed (EnqueueFailed) would throw here
                }
                clients.shutdown();
                assertThat(ids).hasSize(TASKS);
                Eventually.await("every task to end", Duration.ofSeconds(120), () -> store.getAll(ids).values().stream()
                        .filter(t -> t.status().isTerminal()).count() == TASKS);
                assertThat(store.getAll(ids).values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED));
                assertThat(handler.startsByTask()).hasSize(TASKS);
                assertThat(handler.startsByTask().values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
            } finally {
                bus.deleteTopology();
                bus.shutdown(Duration.ofSeconds(5));
            }
        }
    }
}
