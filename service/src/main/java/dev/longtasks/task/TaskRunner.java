package dev.longtasks.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claim, run, finish: the one code path every consumer drives (the Lambda listener, the
 * in-process bus, RabbitMQ consumers and the SQS poller).
 *
 * <p>A handler's own exception ends the task FAILED and is not retried. A retryable {@link
 * TaskStoreException} is infrastructure: it is rethrown so the delivery is retried, and the
 * claim's lease lets the retry take the task over. A non-retryable one (the store refuses the
 * write, or cannot read the record) would fail the same way on every delivery: the runner ends
 * the task FAILED ({@code StoreRejected}) if it can, and always answers with an outcome.
 *
 * <p>After the end state is recorded, the runner publishes {@code task.succeeded} or
 * {@code task.failed} and records that it did; if it dies in between, a redelivered event or the
 * reconciler sends it (at least once).
 */
public final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final TaskStore store;
    private final TaskHandlers handlers;
    private final Completions completions;
    private final RunnerSettings settings;
    private final Clock clock;
    private final TaskMetrics metrics;
    private final Watchdog watchdog;

    /** @param completions where {@code task.succeeded}/{@code task.failed} go; null when nothing listens */
    public TaskRunner(TaskStore store, TaskHandlers handlers, EventPublisher completions,
                      RunnerSettings settings, Clock clock) {
        this(store, handlers, completions, settings, clock, TaskMetrics.NONE);
    }

    /** @param metrics told of every claim and every end this runner records */
    public TaskRunner(TaskStore store, TaskHandlers handlers, EventPublisher completions,
                      RunnerSettings settings, Clock clock, TaskMetrics metrics) {
        this.store = store;
        this.handlers = handlers;
        this.completions = new Completions(store, completions);
        this.settings = settings;
        this.clock = clock;
        this.metrics = TaskMetrics.safe(metrics);
        this.watchdog = new Watchdog(this, settings, clock);
    }

    public RunnerSettings settings() {
        return settings;
    }

    /** Runs the event's task with no deadline but the lease (local workers). */
    public RunOutcome run(TaskEvent event) {
        return run(event, Duration.ofDays(1));
    }

    /**
     * Runs the event's task within {@code budget} (the Lambda's remaining time). The task is
     * marked FAILED/TimedOut {@code safetyMargin} before the budget ends.
     */
    public RunOutcome run(TaskEvent event, Duration budget) {
        if (event == null || !event.isSubmitted()) {
            return new RunOutcome.Ignored("event " + (event == null ? "null" : event.event()) + " is not task.submitted");
        }
        if (event.taskId() == null || event.taskId().isBlank()) {
            // Nothing to claim: retrying it can never succeed, so it must not be rethrown.
            return new RunOutcome.Ignored("task.submitted event without a task_id");
        }
        long deadlineMillis = clock.millis() + budget.minus(settings.safetyMargin()).toMillis();
        Optional<Task> claimed;
        try {
            claimed = store.claim(event.taskId(), settings.lease().toMillis());
            if (claimed.isEmpty()) {
                return whyNotClaimed(event.taskId());
            }
        } catch (TaskStoreException e) {
            if (e.retryable()) {
                throw e;
            }
            // An unreadable record fails the same way on every delivery: answer, so the event is acked.
            log.error("task {}: {}", event.taskId(), e.getMessage());
            return new RunOutcome.NothingToDo(event.taskId(), e.getMessage());
        }
        Task task = claimed.get();
        metrics.started(task.taskType(), task.attempt(),
                task.attempt() == 1 ? Duration.between(task.createdAt(), task.updatedAt()) : null);
        if (task.attempt() > settings.maxAttempts()) {
            return finish(task, TaskStatus.FAILED, null, new TaskError(TaskError.MAX_ATTEMPTS_EXCEEDED,
                    "the task was claimed " + task.attempt() + " times; the limit is " + settings.maxAttempts()
                            + " (a worker probably crashed or timed out on each attempt)"));
        }
        Optional<TaskHandler> handler = handlers.find(task.taskType());
        if (handler.isEmpty()) {
            return finish(task, TaskStatus.FAILED, null, new TaskError(TaskError.UNKNOWN_TASK_TYPE,
                    "no handler is registered for task type '" + task.taskType() + "'"));
        }
        log.info("task {} attempt {} started (type {})", task.taskId(), task.attempt(), task.taskType());
        return execute(task, handler.get(), deadlineMillis);
    }

    private RunOutcome whyNotClaimed(String taskId) {
        Optional<Task> current = store.get(taskId);
        if (current.isEmpty()) {
            return new RunOutcome.NothingToDo(taskId, "unknown or expired task");
        }
        Task t = current.get();
        if (t.status().isTerminal()) {
            // A worker that ended it died before sending its event: this redelivery sends it.
            boolean resent = !t.completionSent() && completions.send(t);
            return new RunOutcome.NothingToDo(taskId, "already " + t.status() + (resent ? " (its completion event is sent now)" : ""));
        }
        if (t.status() == TaskStatus.RUNNING) {
            return new RunOutcome.HeldElsewhere(taskId, t.leaseUntil());
        }
        // PENDING but the claim lost a race that ended between our two reads: let it be retried.
        return new RunOutcome.HeldElsewhere(taskId, clock.millis());
    }

    /**
     * Runs the handler on the calling (worker) thread: no thread is started and no timer is set
     * per task, so a short task is finished before the thread that handed it over runs again (see
     * BENCHMARKS.md, "Sequential latency"). The runner's {@link Watchdog} keeps the guarantees
     * a waiting thread used to keep: it renews the lease every heartbeat, and at the deadline, or
     * when the lease is lost or the store fails, it interrupts the handler and settles the task
     * itself at that moment (FAILED/TimedOut is recorded at the deadline even if the handler
     * ignores the interrupt); the worker returns that outcome once the handler has returned.
     */
    private RunOutcome execute(Task task, TaskHandler handler, long deadlineMillis) {
        RunningContext ctx = new RunningContext(task, store, settings, clock, deadlineMillis);
        JsonNode data = Json.read(task.input() == null ? "null" : task.input());
        Watchdog.Watch watch = watchdog.watch(task, ctx, deadlineMillis);
        JsonNode result;
        try {
            result = handler.handle(data, ctx);
        } catch (Throwable e) {
            if (!watch.end()) {
                return watch.outcome();
            }
            if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                return finish(task, TaskStatus.FAILED, null, new TaskError(TaskError.SHUTDOWN,
                        "the worker shut down while the task ran"));
            }
            return failed(task, ctx, e);
        }
        if (!watch.end()) {
            return watch.outcome();
        }
        if (ctx.isCancellationRequested()) {
            return finish(task, TaskStatus.CANCELLED, null, null);
        }
        String json = Json.write(result == null ? Json.MAPPER.nullNode() : result);
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxResultBytes()) {
            return finish(task, TaskStatus.FAILED, null, new TaskError(TaskError.RESULT_TOO_LARGE,
                    "the result is " + bytes + " bytes; the limit is " + settings.maxResultBytes()
                            + " bytes (TASKS_MAX_RESULT_BYTES): store large results elsewhere and return a reference"));
        }
        return finish(task, TaskStatus.SUCCEEDED, json, null);
    }

    /** What the watchdog decides when it takes a running attempt over (on its own thread). */
    RunOutcome timedOut(Task task, long startMillis, long deadlineMillis) {
        return finish(task, TaskStatus.FAILED, null, new TaskError(TaskError.TIMED_OUT,
                "the task did not finish within the time it had (" + (deadlineMillis - startMillis) / 1000 + " s)"));
    }

    /** A heartbeat lost the lease or met a store failure: as the handler's own write would. */
    RunOutcome heartbeatFailed(Task task, RunningContext ctx, RuntimeException e) {
        if (e instanceof LostLeaseException || e instanceof TaskStoreException) {
            return failed(task, ctx, e);
        }
        throw e;
    }

    private RunOutcome failed(Task task, RunningContext ctx, Throwable cause) {
        if (cause instanceof LostLeaseException) {
            log.warn("task {} attempt {} lost its lease; another attempt owns it now", task.taskId(), task.attempt());
            return new RunOutcome.LostLease(task.taskId(), task.attempt());
        }
        if (cause instanceof TaskStoreException infra) {
            return storeFailed(task, infra);
        }
        if (cause instanceof TaskCancelledException || ctx.isCancellationRequested()) {
            return finish(task, TaskStatus.CANCELLED, null, null);
        }
        String type = cause.getClass().getSimpleName();
        String message = Messages.cap(cause.getMessage() == null ? type : cause.getMessage(), settings.maxMessageBytes());
        log.info("task {} attempt {} failed: {}: {}", task.taskId(), task.attempt(), type, message);
        return finish(task, TaskStatus.FAILED, null, new TaskError(type, message));
    }

    private RunOutcome finish(Task task, TaskStatus status, String resultJson, TaskError error) {
        Optional<Task> done;
        try {
            done = store.finish(task.taskId(), task.attempt(), status, resultJson, error);
        } catch (TaskStoreException e) {
            return storeFailed(task, e);
        }
        if (done.isEmpty()) {
            log.warn("task {} attempt {} could not record {}: fenced off by a newer attempt or a cancel",
                    task.taskId(), task.attempt(), status);
            return new RunOutcome.LostLease(task.taskId(), task.attempt());
        }
        Task finished = done.get();
        ended(task, finished);
        log.info("task {} attempt {} ended {}", finished.taskId(), finished.attempt(), finished.status());
        completions.send(finished);
        return new RunOutcome.Finished(finished);
    }

    /**
     * A retryable store failure is rethrown (the delivery is retried; the lease lets the retry
     * take over). A non-retryable one would fail on every retry: the task ends FAILED
     * ({@code StoreRejected}) with a short message, once, and the event is answered either way.
     */
    private RunOutcome storeFailed(Task task, TaskStoreException e) {
        if (e.retryable()) {
            throw e;
        }
        log.error("task {} attempt {}: the store refused a write for good: {}", task.taskId(), task.attempt(), e.getMessage());
        TaskError rejected = new TaskError(TaskError.STORE_REJECTED,
                Messages.cap("the store refused the task's record: " + e.getMessage(), 1024));
        try {
            Optional<Task> done = store.finish(task.taskId(), task.attempt(), TaskStatus.FAILED, null, rejected);
            if (done.isPresent()) {
                ended(task, done.get());
                completions.send(done.get());
                return new RunOutcome.Finished(done.get());
            }
            return new RunOutcome.LostLease(task.taskId(), task.attempt());
        } catch (TaskStoreException again) {
            log.error("task {} attempt {}: not even FAILED ({}) could be recorded; the reconciler will find it: {}",
                    task.taskId(), task.attempt(), TaskError.STORE_REJECTED, again.getMessage());
            return new RunOutcome.NothingToDo(task.taskId(), "the store refused the task's record: " + e.getMessage());
        }
    }

    /** Run time: this attempt's claim (the claimed record's update time) to the recorded end. */
    private void ended(Task claimed, Task finished) {
        metrics.ended(finished.taskType(), finished.status(), finished.error() == null ? null : finished.error().type(),
                finished.finishedAt() == null ? null : Duration.between(claimed.updatedAt(), finished.finishedAt()));
    }

    /** The {@link TaskContext} of one attempt. Every write it makes is fenced by the attempt. */
    static final class RunningContext implements TaskContext {
        private static final Logger handlerLog = LoggerFactory.getLogger("dev.longtasks.handler");
        private final Task task;
        private final TaskStore store;
        private final RunnerSettings settings;
        private final Clock clock;
        private final long deadlineMillis;
        private volatile boolean cancelRequested;
        private volatile long lastWriteMillis;

        RunningContext(Task task, TaskStore store, RunnerSettings settings, Clock clock, long deadlineMillis) {
            this.task = task;
            this.store = store;
            this.settings = settings;
            this.clock = clock;
            this.deadlineMillis = deadlineMillis;
            this.cancelRequested = task.cancelRequested();
            this.lastWriteMillis = clock.millis();
        }

        @Override
        public String taskId() {
            return task.taskId();
        }

        @Override
        public int attempt() {
            return task.attempt();
        }

        @Override
        public void progress(int percent, String message) {
            write(new Progress(Math.max(0, Math.min(100, percent)), Messages.cap(message, settings.maxMessageBytes())));
            checkCancelled();
        }

        void heartbeat() {
            write(null);
        }

        private void write(Progress p) {
            Optional<Task> after = store.progress(task.taskId(), task.attempt(), p, settings.lease().toMillis());
            if (after.isEmpty()) {
                throw new LostLeaseException(task.taskId(), task.attempt());
            }
            lastWriteMillis = clock.millis();
            cancelRequested = after.get().cancelRequested();
        }

        long lastWriteMillis() {
            return lastWriteMillis;
        }

        @Override
        public boolean isCancellationRequested() {
            return cancelRequested;
        }

        @Override
        public Duration remainingTime() {
            return Duration.ofMillis(Math.max(0, deadlineMillis - clock.millis()));
        }

        @Override
        public Logger logger() {
            return handlerLog;
        }
    }
}
