package dev.longtasks.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Refusals;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.input.TaskInput;
import dev.longtasks.cli.watch.Follow;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.TaskHandler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", sortOptions = false,
        description = {"Submit a task and print its id (only the id, so `id=$(taskctl submit ...)` works).",
                "The data is checked before anything is written."},
        footer = {"", "Examples:",
                "  taskctl submit --stage local examples/data.json --wait",
                "  echo '{\"steps\":2}' | taskctl submit --stage staging -",
                "  taskctl submit --stage staging --jsonl batch.jsonl | taskctl watch --stage staging -"})
public final class SubmitCommand extends TargetedCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", description = "JSON file with the task's data, or - for stdin.")
    String file;

    @Option(names = "--data", paramLabel = "JSON", description = "The task's data inline instead of FILE.")
    String data;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "example",
            description = "Task type (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--jsonl", description = {"One task per input line; batched writes and publishes; one id per stored line, in order.",
            "Lines the service refused are named on stderr, and the exit code is then 5."})
    boolean jsonl;

    @Option(names = {"-w", "--wait"}, description = "Then follow the task(s) like `taskctl watch`.")
    boolean waitForEnd;

    @Mixin
    Follow follow = new Follow();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        TaskInput.Source source = TaskInput.read(file, data, environment().stdin());
        List<JsonNode> items = jsonl ? TaskInput.lines(source) : List.of(TaskInput.single(source));
        validateKnownType(items);
        try (TaskBackend backend = Backends.open(target)) {
            List<SubmitOutcome> outcomes = items.size() == 1 && !jsonl
                    ? List.of(new SubmitOutcome.Stored(backend.submit(type, items.getFirst())))
                    : backend.submitAll(type, items);
            List<String> ids = new ArrayList<>(outcomes.size());
            for (SubmitOutcome o : outcomes) {
                if (o instanceof SubmitOutcome.Stored stored) {
                    ids.add(stored.taskId());
                    out.println(stored.taskId());
                }
            }
            out.flush();
            // Some lines stored, some not (the service failed part-way): the stored ids are printed
            // for the pipeline, the refused lines named here, and the exit code says it was partial.
            int code = ExitCodes.OK;
            if (ids.size() < outcomes.size()) {
                err.println("taskctl: " + Refusals.partlyRefused(outcomes));
                err.flush();
                code = ExitCodes.CONFIG;
            }
            if (!waitForEnd) {
                return code;
            }
            return ExitCodes.worst(code, follow.run(backend, ids, output, target, out, err));
        }
    }

    /**
     * Runs the handler's own input check for the built-in types, so a batch is refused as a whole
     * before any task is written. Unknown types are left to the target, which may have more handlers.
     */
    private void validateKnownType(List<JsonNode> items) {
        Optional<TaskHandler> handler = BuiltInHandlers.all().find(type);
        if (handler.isEmpty()) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            try {
                handler.get().validate(items.get(i));
            } catch (InvalidTaskInputException e) {
                throw Refusals.refused(e, jsonl ? i + 1 : 0, Refusals.NOTHING_SUBMITTED);
            }
        }
    }
}
