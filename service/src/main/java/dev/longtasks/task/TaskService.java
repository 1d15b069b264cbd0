package dev.longtasks.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submit, read and cancel tasks: what the HTTP API and {@code taskctl submit} share.
 * A submit stores the task first and then publishes the event; if the publish fails the task is
 * marked FAILED ({@code EnqueueFailed}) so it is never left PENDING with nobody to run it.
 */
public final class TaskService {
    private static final Logger log = LoggerFactory.getLogger(TaskService.class);

    /** DynamoDB's item limit is 400 KB; the input is kept well under it to leave room for the rest. */
    public static final int DEFAULT_MAX_INPUT_BYTES = 350 * 1024;

    private final TaskStore store;
    private final EventPublisher publisher;
    private final TaskHandlers handlers;
    private final Clock clock;
    private final long ttlSeconds;
    private final String stage;
    private final int maxInputBytes;

    public TaskService(TaskStore store, EventPublisher publisher, TaskHandlers handlers, Clock clock,
                       Duration ttl, String stage, int maxInputBytes) {
        this.store = store;
        this.publisher = publisher;
        this.handlers = handlers;
        this.clock = clock;
        this.ttlSeconds = ttl.toSeconds();
        this.stage = stage;
        this.maxInputBytes = maxInputBytes;
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

    public Submitted submit(String type, JsonNode data, String idempotencyKey)
            throws UnknownTaskTypeException, InvalidTaskInputException {
        String input = validate(type, data);
        String taskId = UUID.randomUUID().toString();
        if (idempotencyKey != null) {
            String fingerprint = sha256(type + "\n" + input);
            Optional<IdempotencyRecord> existing = store.bindIdempotencyKey(new IdempotencyRecord(idempotencyKey, fingerprint, taskId));
            if (existing.isPresent()) {
                if (!existing.get().fingerprint().equals(fingerprint)) {
                    throw new IdempotencyConflictException(idempotencyKey);
                }
                return new Submitted(existing.get().taskId(), true);
            }
            try {
                store.create(Task.pending(taskId, type, input, clock.instant(), ttlSeconds));
            } catch (RuntimeException e) {
                store.releaseIdempotencyKey(idempotencyKey);
                throw e;
            }
        } else {
            store.create(Task.pending(taskId, type, input, clock.instant(), ttlSeconds));
        }
        try {
            publishOrFail(List.of(TaskEvent.submitted(taskId, type, stage)));
        } catch (EnqueueFailedException e) {
            // The client is told to retry (503); a retry with the same key must create a task that
            // runs, not replay the one that just failed to enqueue.
            releaseKeyQuietly(idempotencyKey);
            throw e;
        }
        return new Submitted(taskId, false);
    }

    private void releaseKeyQuietly(String idempotencyKey) {
        if (idempotencyKey == null) {
            return;
        }
        try {
            store.releaseIdempotencyKey(idempotencyKey);
        } catch (RuntimeException e) {
            log.warn("could not release idempotency key after an enqueue failure: {}", e.toString());
        }
    }

    /** One item of a batch submit: already validated input JSON text. */
    public record Submission(String type, String inputJson) {
    }

    /** Stores and publishes many tasks with batched writes; returns their ids in order. */
    public List<String> submitAll(List<Submission> submissions) {
        List<Task> tasks = new ArrayList<>(submissions.size());
        List<TaskEvent> events = new ArrayList<>(submissions.size());
        for (Submission s : submissions) {
            String id = UUID.randomUUID().toString();
            tasks.add(Task.pending(id, s.type(), s.inputJson(), clock.instant(), ttlSeconds));
            events.add(TaskEvent.submitted(id, s.type(), stage));
        }
        store.createAll(tasks);
        publishOrFail(events);
        return tasks.stream().map(Task::taskId).toList();
    }

    private void publishOrFail(List<TaskEvent> events) {
        try {
            if (events.size() == 1) {
                publisher.publish(events.getFirst());
            } else {
                publisher.publishAll(events);
            }
        } catch (EventPublishException e) {
            log.error("publishing {} event(s) failed; marking the task(s) FAILED: {}", events.size(), e.toString());
            for (TaskEvent ev : events) {
                store.failPending(ev.taskId(), new TaskError(TaskError.ENQUEUE_FAILED,
                        "the task was stored but its event could not be published; submit it again"));
            }
            throw new EnqueueFailedException(events.stream().map(TaskEvent::taskId).toList(), e);
        }
    }

    public Optional<Task> get(String taskId) {
        return store.get(taskId);
    }

    public Map<String, Task> getAll(Collection<String> taskIds) {
        return store.getAll(taskIds);
    }

    public CancelResult cancel(String taskId) {
        return store.cancel(taskId);
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
