package dev.longtasks.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Submit, read and cancel tasks: what the HTTP API and {@code taskctl submit} share.
 *
 * <p>Accepted means stored. A submit stores the task, due to the reconciler after the dispatch
 * grace, and then publishes its event as a first dispatch attempt. A failed or unanswered publish
 * leaves the task PENDING and the answer is still "accepted": the reconciler publishes it again.
 * Only when the bus refuses work (back-pressure) is the task failed at once, and only a
 * conditional {@code PENDING -> FAILED} that succeeded makes the answer "refused".
 */
public final class TaskService {
    /** The HTTP body limit (256 KiB); RunnerSettings shows how input, result and messages fit one DynamoDB item. */
    public static final int DEFAULT_MAX_INPUT_BYTES = 256 * 1024;
    /** Tasks per batched store write: DynamoDB's BatchWriteItem limit, so a refusal names whole chunks. */
    static final int CHUNK = 25;

    private final TaskStore store;
    private final EventPublisher publisher;
    private final TaskHandlers handlers;
    private final Clock clock;
    private final long ttlSeconds;
    private final long openTtlSeconds;
    private final Duration dispatchGrace;
    private final String stage;
    private final int maxInputBytes;
    private final IdempotencyKeys keys;
    private final Dispatch dispatch;
    private final TaskMetrics metrics;

    /** With the default dispatch grace and open horizon (see {@link ReconcilerSettings}). */
    public TaskService(TaskStore store, EventPublisher publisher, TaskHandlers handlers, Clock clock,
                       Duration ttl, String stage, int maxInputBytes) {
        this(store, publisher, handlers, clock, ttl, stage, maxInputBytes,
                ReconcilerSettings.DEFAULTS.dispatchGrace(), ReconcilerSettings.DEFAULT_OPEN_HORIZON);
    }

    /**
     * @param dispatchGrace how long a new task waits for a worker before the reconciler publishes again
     * @param openHorizon added to the TTL while the task is open (see {@link TaskStore})
     */
    public TaskService(TaskStore store, EventPublisher publisher, TaskHandlers handlers, Clock clock,
                       Duration ttl, String stage, int maxInputBytes, Duration dispatchGrace, Duration openHorizon) {
        this(store, publisher, handlers, clock, ttl, stage, maxInputBytes, dispatchGrace, openHorizon, TaskMetrics.NONE);
    }

    /** @param metrics told of every accepted task, every refused one and every cancel of a PENDING task */
    public TaskService(TaskStore store, EventPublisher publisher, TaskHandlers handlers, Clock clock, Duration ttl,
                       String stage, int maxInputBytes, Duration dispatchGrace, Duration openHorizon, TaskMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.handlers = handlers;
        this.clock = clock;
        this.ttlSeconds = ttl.toSeconds();
        this.openTtlSeconds = ttl.plus(openHorizon).toSeconds();
        this.dispatchGrace = dispatchGrace;
        this.stage = stage;
        this.maxInputBytes = maxInputBytes;
        this.keys = new IdempotencyKeys(store, clock);
        this.dispatch = new Dispatch(store, publisher, dispatchGrace, stage);
        this.metrics = TaskMetrics.safe(metrics);
    }

    public TaskHandlers handlers() {
        return handlers;
    }

    /** The accepted task and whether it was an idempotent replay of an earlier submit. */
    public record Submitted(String taskId, boolean replayed) {
    }

    /** Checks type and data; returns the input as the JSON text that will be stored. */
    public String validate(String type, JsonNode data) throws UnknownTaskTypeException, InvalidTaskInputException {
        TaskHandler handler = handlers.find(type).orElseThrow(() -> new UnknownTaskTypeException(type, handlers.types()));
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw new InvalidTaskInputException("'data' is required");
        }
        handler.validate(data);
        String input = Json.write(data);
        int bytes = input.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxInputBytes) {
            throw new InputTooLargeException(bytes, maxInputBytes);
        }
        return input;
    }

    /**
     * Stores the task and publishes its event. Throws {@link TaskStoreException} when nothing was
     * stored, and {@link EnqueueFailedException} when the bus refused the event and the task is
     * now certain never to run.
     */
    public Submitted submit(String type, JsonNode data, String idempotencyKey)
            throws UnknownTaskTypeException, InvalidTaskInputException {
        String input = validate(type, data);
        Task task = newTask(UUID.randomUUID().toString(), type, input);
        if (idempotencyKey != null) {
            Optional<String> replay = keys.bind(idempotencyKey, sha256(type + "\n" + input), task.taskId());
            if (replay.isPresent()) {
                return new Submitted(replay.get(), true);
            }
            try {
                dispatch.create(List.of(task));
            } catch (RuntimeException e) {
                keys.releaseQuietly(idempotencyKey, task.taskId());
                throw e;
            }
        } else {
            dispatch.create(List.of(task));
        }
        try {
            dispatch.dispatch(List.of(task));
        } catch (EnqueueFailedException e) {
            // The client is told to retry (503): a retry with the same key must create a task that
            // runs. Releasing is a shortcut; a replay would also take over an EnqueueFailed binding.
            if (idempotencyKey != null) {
                keys.releaseQuietly(idempotencyKey, task.taskId());
            }
            metrics.ended(type, TaskStatus.FAILED, TaskError.ENQUEUE_FAILED, null);
            throw e;
        }
        metrics.submitted(type);
        return new Submitted(task.taskId(), false);
    }

    private Task newTask(String id, String type, String input) {
        Instant now = clock.instant();
        return Task.pending(id, type, input, now, openTtlSeconds).withDueAt(now.plus(dispatchGrace).toEpochMilli());
    }

    /** One item of a batch submit: already validated input JSON text. */
    public record Submission(String type, String inputJson) {
    }

    /**
     * Stores and publishes many tasks, {@value #CHUNK} per store write. Returns one outcome per
     * submission, in order. A chunk the store refuses, and every chunk after it, is refused; a
     * failed publish never turns stored tasks into refusals, unless the bus refused them.
     */
    public List<SubmitOutcome> submitAll(List<Submission> submissions) {
        List<SubmitOutcome> outcomes = new ArrayList<>(submissions.size());
        String storeFailure = null;
        for (int from = 0; from < submissions.size(); from += CHUNK) {
            List<Submission> chunk = submissions.subList(from, Math.min(submissions.size(), from + CHUNK));
            if (storeFailure != null) {
                String reason = storeFailure;
                chunk.forEach(s -> outcomes.add(new SubmitOutcome.Refused(reason, null)));
                continue;
            }
            List<Task> tasks = chunk.stream().map(s -> newTask(UUID.randomUUID().toString(), s.type(), s.inputJson())).toList();
            try {
                dispatch.create(tasks);
            } catch (TaskStoreException e) {
                storeFailure = "not stored: " + e.getMessage();
                String reason = storeFailure;
                chunk.forEach(s -> outcomes.add(new SubmitOutcome.Refused(reason, null)));
                continue;
            }
            List<String> refused = List.of();
            try {
                dispatch.dispatch(tasks);
            } catch (EnqueueFailedException e) {
                refused = e.taskIds();
            }
            for (Task t : tasks) {
                if (refused.contains(t.taskId())) {
                    outcomes.add(new SubmitOutcome.Refused("the queue refused its event; the task is FAILED (EnqueueFailed)", t.taskId()));
                    metrics.ended(t.taskType(), TaskStatus.FAILED, TaskError.ENQUEUE_FAILED, null);
                } else {
                    outcomes.add(new SubmitOutcome.Stored(t.taskId()));
                    metrics.submitted(t.taskType());
                }
            }
        }
        return outcomes;
    }

    public Optional<Task> get(String taskId) {
        return store.get(taskId);
    }

    public Map<String, Task> getAll(Collection<String> taskIds) {
        return store.getAll(taskIds);
    }

    public CancelResult cancel(String taskId) {
        CancelResult result = store.cancel(taskId);
        if (result instanceof CancelResult.Cancelled c) {
            // A PENDING task ends here; a RUNNING one ends in its runner, which records it.
            metrics.ended(c.task().taskType(), TaskStatus.CANCELLED, null, null);
        }
        return result;
    }

    public long ttlSeconds() {
        return ttlSeconds;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
