package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.testing.CapturedStderr;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InProcessEventBusTest {
    private static TaskEvent event(String id) {
        return TaskEvent.submitted(id, "noop", "test");
    }

    /** A runner that holds its worker until the test releases it. */
    private static RunOutcome awaitRelease(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return new RunOutcome.Ignored("test");
    }

    @Nested
    class BackPressure {
        @Test
        void a_full_queue_refuses_the_next_event_instead_of_growing() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            List<String> started = new CopyOnWriteArrayList<>();
            InProcessEventBus bus = new InProcessEventBus(1, Duration.ofMillis(50));
            bus.start(e -> {
                started.add(e.taskId());
                return awaitRelease(release);
            }, 1);
            try {
                bus.publish(event("a"));
                Eventually.until(() -> started, s -> s.contains("a"), "the worker to take a");
                bus.publish(event("b"));

                assertThatThrownBy(() -> bus.publish(event("c")))
                        .isInstanceOf(EventPublishException.class).hasMessageContaining("full");
                assertThat(bus.backlog()).isEqualTo(1);
                release.countDown();
                // The queued event still runs once the worker is free; the refused one never does.
                Eventually.until(() -> started, s -> s.contains("b"), "the worker to take b");
                assertThat(started).containsExactly("a", "b");
            } finally {
                release.countDown();
                bus.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    @Nested
    class Shutdown {
        @Test
        void events_never_started_are_handed_back_and_new_ones_are_refused() {
            CountDownLatch release = new CountDownLatch(1);
            InProcessEventBus bus = new InProcessEventBus(10, Duration.ofMillis(50));
            bus.start(e -> awaitRelease(release), 1);
            bus.publish(event("running"));
            Eventually.until(bus::backlog, n -> n == 0, "the worker to take the first event");
            bus.publish(event("queued-1"));
            bus.publish(event("queued-2"));

            List<TaskEvent> unstarted = bus.shutdown(Duration.ofMillis(50));

            assertThat(unstarted).extracting(TaskEvent::taskId).containsExactly("queued-1", "queued-2");
            assertThatThrownBy(() -> bus.publish(event("late"))).isInstanceOf(EventPublishException.class);
        }

        @Test
        void completion_events_need_no_worker_and_are_dropped() {
            InProcessEventBus bus = new InProcessEventBus(1, Duration.ofMillis(10));
            bus.start(e -> new RunOutcome.Ignored("test"), 1);
            try {
                bus.publish(new TaskEvent("x", "noop", TaskEvent.SUCCEEDED, "test"));
                bus.publish(new TaskEvent("y", "noop", TaskEvent.FAILED, "test"));

                assertThat(bus.backlog()).isZero();
            } finally {
                bus.shutdown(Duration.ZERO);
            }
        }
    }

    @Nested
    class RepeatedFailures {
        @Test
        void a_store_that_keeps_failing_is_logged_once_per_interval_not_once_per_event() throws Exception {
            TaskRunner runner = new TaskRunner(LocalServices.closedRedisStore(), BuiltInHandlers.all(),
                    new InProcessEventBus(1, Duration.ofSeconds(1)), RunnerSettings.DEFAULTS, Clock.systemUTC());
            AtomicInteger runs = new AtomicInteger();
            InProcessEventBus bus = new InProcessEventBus(16, Duration.ofSeconds(1));
            List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(), UUID.randomUUID().toString());
            try (CapturedStderr log = CapturedStderr.start()) {
                bus.start(e -> {
                    runs.incrementAndGet();
                    return runner.run(e);
                }, 1);
                try {
                    ids.forEach(id -> bus.publish(event(id)));
                    Eventually.await("all four events to fail", Duration.ofSeconds(60), () -> runs.get() == 4);
                } finally {
                    bus.shutdown(Duration.ofSeconds(5));
                }
                long lines = log.lines().stream().filter(l -> ids.stream().anyMatch(l::contains)).count();
                assertThat(lines).as("lines about the failing events").isEqualTo(1);
            }
        }
    }
}
