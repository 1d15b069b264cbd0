package dev.longtasks.cli.watch;

import dev.longtasks.api.TaskView;
import java.time.Duration;
import java.util.Map;

/** What a watch shows while it runs: a live line, one line per change, JSONL events, or nothing. */
public interface WatchListener {
    /** A task's state changed (its first sighting counts as a change). */
    default void changed(TaskView task, Duration elapsed) {
    }

    /** After every poll, with the latest state of every task still watched or ended. */
    default void polled(Map<String, TaskView> latest, Duration elapsed) {
    }

    /** A task sat PENDING longer than expected: the listener may not be subscribed. */
    default void stillPending(String taskId, Duration elapsed) {
    }

    /** A task ended, or was found missing. */
    default void ended(WatchOutcome outcome, Duration elapsed) {
    }

    /** The watch is over (clear the live line). */
    default void done() {
    }
}
