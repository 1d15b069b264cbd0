package dev.longtasks.cli.commands;

import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.watch.Follow;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "watch", sortOptions = false,
        description = {"Follow tasks until they end; print the final record(s) on stdout.",
                "On a terminal a live progress line; otherwise one line per change on stderr.",
                "Exit code: 0 all succeeded, 1 failed or cancelled, 3 not found, 4 timed out (the worst wins)."},
        footer = {"", "Examples:",
                "  taskctl watch --stage staging 3f1c9e0a-...",
                "  taskctl submit --stage local data.json | taskctl watch --stage local -",
                "  taskctl watch --stage staging -o jsonl ID | jq .status"})
public final class WatchCommand extends TargetedCommand {
    @Parameters(arity = "1..*", paramLabel = "ID|-", description = "Task ids, or - to read them from stdin (one per line).")
    List<String> ids;

    @Mixin
    Follow follow = new Follow();

    @Override
    public Integer call() throws Exception {
        List<String> resolved = TaskIds.resolve(ids, environment().stdin());
        try (TaskBackend backend = Backends.open(target)) {
            return follow.run(backend, resolved, output, target, out(), err());
        }
    }
}
