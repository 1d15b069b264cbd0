package dev.longtasks.cli.commands;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.output.TaskPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = {"Show tasks once (a consistent read). Exit 3 when an id is unknown or expired."})
public final class StatusCommand extends TargetedCommand {
    @Parameters(arity = "1..*", paramLabel = "ID|-", description = "Task ids, or - to read them from stdin.")
    List<String> ids;

    @Override
    public Integer call() {
        List<String> resolved = TaskIds.resolve(ids, environment().stdin());
        try (TaskBackend backend = Backends.open(target)) {
            Map<String, TaskView> found = backend.getAll(resolved);
            List<TaskView> shown = new ArrayList<>();
            int code = ExitCodes.OK;
            for (String id : resolved.stream().distinct().toList()) {
                TaskView t = found.get(id);
                if (t == null) {
                    err().println("taskctl: task " + id + " not found: unknown or expired id "
                            + "(tasks are kept 1 h after their last update) on " + backend.describe());
                    code = ExitCodes.NOT_FOUND;
                } else {
                    shown.add(t);
                }
            }
            err().flush();
            if (!shown.isEmpty()) {
                TaskPrinter.to(out(), output).print(shown);
            }
            return code;
        }
    }
}
