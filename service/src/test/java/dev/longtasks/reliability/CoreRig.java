package dev.longtasks.reliability;

import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.Reconciler;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.UnknownTaskTypeException;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The task core wired for one scenario run: a memory store behind a {@link RecordingTaskStore},
 * a {@link CountingHandler}, a runner, and a service that publishes into {@link #published}
 * (the scenario delivers those events itself, as many times and as concurrently as it likes).
 */
final class CoreRig {
    static final RunnerSettings SETTINGS =
            new RunnerSettings(Duration.ofSeconds(30), Duration.ofMillis(200), 3, Duration.ofSeconds(5));

    final MutableClock clock = MutableClock.startingNow();
    final RecordingTaskStore store;
    final CountingHandler handler;
    final TaskRunner runner;
    final TaskService service;
    final List<TaskEvent> published = new CopyOnWriteArrayList<>();

    CoreRig(CountingHandler handler) {
        this(handler, null);
    }

    /** @param publisher where submits publish; null collects the events in {@link #published} */
    CoreRig(CountingHandler handler, EventPublisher publisher) {
        this.handler = handler;
        this.store = new RecordingTaskStore(MemoryTaskStore.builder().clock(clock).build());
        this.runner = runner(clock);
        this.service = new TaskService(store, publisher != null ? publisher : published::add,
                TaskHandlers.of(List.of(handler)), clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
    }

    /** The reconciler over this rig's store, publishing to {@code publisher}, with the default settings. */
    Reconciler reconciler(EventPublisher publisher) {
        return new Reconciler(store, publisher, ReconcilerSettings.DEFAULTS, SETTINGS.maxAttempts(), clock, "test");
    }

    /** Another worker on the same store, with its own view of time. */
    TaskRunner runner(Clock workerClock) {
        return new TaskRunner(store, TaskHandlers.of(List.of(handler)), null, SETTINGS, workerClock);
    }

    String submit() {
        try {
            return service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("n", 1), null)
                    .taskId();
        } catch (UnknownTaskTypeException | InvalidTaskInputException e) {
            throw new IllegalStateException("the scenario's own task type was refused", e);
        }
    }

    TaskEvent eventFor(String taskId) {
        return TaskEvent.submitted(taskId, CountingHandler.TYPE, "test");
    }
}
