package dev.longtasks.cli.dlq;

import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.TaskStoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code taskctl dlq redrive}: for each failed task, read it first. A task still open (PENDING,
 * RUNNING) gets its {@code task.submitted} event published again, exactly as the service publishes
 * it; one that ended, or is gone, needs nothing. Either way its records are deleted. When the read
 * or the publish fails the records stay, so nothing is lost.
 */
public final class Redrive {
    /**
     * What happened to one task: {@code resolved} when its records can go, {@code failed} when
     * reading or republishing it failed (its records stay).
     */
    public record Outcome(String taskId, String status, String action, boolean resolved, boolean failed) {
        public boolean republished() {
            return resolved && action.equals(REPUBLISHED);
        }
    }

    static final String REPUBLISHED = "task.submitted republished";

    private final TaskStore store;
    private final EventPublisher publisher;
    private final String stage;

    public Redrive(TaskStore store, EventPublisher publisher, String stage) {
        this.store = store;
        this.publisher = publisher;
        this.stage = stage;
    }

    public List<Outcome> decide(List<FailedTask> tasks) {
        List<Outcome> out = new ArrayList<>();
        for (FailedTask f : tasks) {
            out.add(f.taskId() == null
                    ? new Outcome(null, null, "kept: " + f.errorMessage(), false, false)
                    : redrive(f.taskId()));
        }
        return out;
    }

    private Outcome redrive(String taskId) {
        Optional<Task> task;
        try {
            task = store.get(taskId);
        } catch (TaskStoreException e) {
            return new Outcome(taskId, null, "kept: cannot read the task: " + e.getMessage(), false, true);
        }
        if (task.isEmpty()) {
            return new Outcome(taskId, null, "nothing to republish: the task no longer exists (expired or never stored)", true, false);
        }
        Task t = task.get();
        if (t.status().isTerminal()) {
            return new Outcome(taskId, t.status().name(), "nothing to republish: the task already ended", true, false);
        }
        try {
            publisher.publish(TaskEvent.submitted(taskId, t.taskType(), stage));
        } catch (EventPublishException e) {
            return new Outcome(taskId, t.status().name(), "kept: republishing failed: " + e.getMessage(), false, true);
        }
        return new Outcome(taskId, t.status().name(), REPUBLISHED, true, false);
    }

    /**
     * The messages that can go: those of resolved tasks whose every task is resolved (SNS invokes
     * the listener with one record, so in practice a message names one task).
     */
    public static List<FailureQueue.Message> deletable(List<FailedTask> tasks, List<Outcome> outcomes) {
        Set<String> resolved = new HashSet<>();
        outcomes.stream().filter(Outcome::resolved).forEach(o -> resolved.add(o.taskId()));
        List<FailureQueue.Message> out = new ArrayList<>();
        for (FailedTask f : tasks) {
            for (InvocationRecord r : f.records()) {
                boolean all = r.events().stream().allMatch(e -> resolved.contains(e.taskId()));
                if (all && !r.events().isEmpty() && !out.contains(r.message())) {
                    out.add(r.message());
                }
            }
        }
        return out;
    }
}
