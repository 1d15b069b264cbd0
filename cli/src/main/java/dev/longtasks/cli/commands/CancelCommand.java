package dev.longtasks.cli.commands;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.output.TaskPrinter;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.Task;
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
            Task shown = switch (backend.cancel(taskId)) {
                case CancelResult.Cancelled c -> {
                    note(err, "task " + taskId + " cancelled");
                    yield c.task();
                }
                case CancelResult.Requested r -> {
                    note(err, "cancellation requested: task " + taskId + " is RUNNING and stops at its handler's next check;"
                            + " follow it with `taskctl watch " + target.flags() + taskId + "`");
                    yield r.task();
                }
                case CancelResult.AlreadyFinished f -> {
                    note(err, "task " + taskId + " had already ended " + f.task().status() + "; nothing to cancel");
                    yield f.task();
                }
                case CancelResult.NotFound nf -> null;
            };
            if (shown == null) {
                err.println("taskctl: task " + taskId + " not found: unknown or expired id on " + backend.describe());
                return ExitCodes.NOT_FOUND;
            }
            TaskPrinter.to(out(), output).print(List.of(TaskView.of(shown)));
            return ExitCodes.OK;
        }
    }

    private void note(PrintWriter err, String line) {
        if (!output.quiet()) {
            err.println(line);
            err.flush();
        }
    }
}
