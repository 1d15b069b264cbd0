package dev.longtasks.cli.commands;

import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.backend.TaskBackend.CancelOutcome;
import dev.longtasks.cli.backend.TaskView;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.output.TaskPrinter;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = {"Cancel a task: a PENDING task ends CANCELLED at once; a RUNNING one is asked to stop",
        "and ends CANCELLED at its handler's next check. Prints the task record."})
public final class CancelCommand extends TargetedCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The task id.")
    String id;

    @Override
    public Integer call() {
        String taskId = TaskIds.check(id);
        PrintWriter err = err();
        try (TaskBackend backend = Backends.open(target)) {
            CancelOutcome outcome = backend.cancel(taskId);
            TaskView shown = switch (outcome) {
                case CancelOutcome.Cancelled c -> note(err, "task " + taskId + " cancelled", c.task());
                case CancelOutcome.Requested r -> note(err, "cancellation requested: task " + taskId
                        + " is RUNNING and stops at its handler's next check; follow it with `taskctl watch " + target.flags() + taskId + "`", r.task());
                case CancelOutcome.AlreadyFinished f -> note(err, "task " + taskId + " had already ended "
                        + f.task().status() + "; nothing to cancel", f.task());
                case CancelOutcome.NotFound nf -> null;
            };
            if (shown == null) {
                err.println("taskctl: task " + taskId + " not found: unknown or expired id on " + backend.describe());
                return ExitCodes.NOT_FOUND;
            }
            printer().print(List.of(shown));
            return ExitCodes.OK;
        }
    }

    private TaskView note(PrintWriter err, String line, TaskView t) {
        if (!output.quiet()) {
            err.println(line);
            err.flush();
        }
        return t;
    }
}
