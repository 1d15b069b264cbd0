package dev.longtasks.cli.watch;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.task.TaskStatus;

/** How watching one task ended. */
public sealed interface WatchOutcome {
    String taskId();

    int exitCode();

    /** The task reached a terminal state. */
    record Finished(TaskView task) implements WatchOutcome {
        @Override
        public String taskId() {
            return task.taskId();
        }

        @Override
        public int exitCode() {
            return task.status() == TaskStatus.SUCCEEDED ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
    }

    /** Never seen (unknown or already expired), or gone after being seen (expired while watched). */
    record NotFound(String taskId, boolean seenBefore) implements WatchOutcome {
        @Override
        public int exitCode() {
            return ExitCodes.NOT_FOUND;
        }
    }

    /** {@code --timeout} passed; {@code last} is the last state seen. */
    record TimedOut(String taskId, TaskView last) implements WatchOutcome {
        @Override
        public int exitCode() {
            return ExitCodes.TIMEOUT;
        }
    }

    /** {@code --fail-fast} stopped watching after another task failed. */
    record Abandoned(String taskId, TaskView last) implements WatchOutcome {
        @Override
        public int exitCode() {
            return ExitCodes.OK;
        }
    }
}
