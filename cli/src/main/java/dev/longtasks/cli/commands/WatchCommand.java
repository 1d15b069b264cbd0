package dev.longtasks.cli.commands;

import dev.longtasks.cli.Main;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.options.VerbosityOptions;
import dev.longtasks.cli.watch.Follow;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", sortOptions = false,
        description = {"Follow tasks until they end; print the final record(s) on stdout.",
                "On a terminal a live progress line; otherwise one line per change on stderr.",
                "Exit code: 0 all succeeded, 1 failed or cancelled, 3 not found, 4 timed out (the worst wins)."},
        footer = {"", "Examples:",
                "  taskctl watch --stage staging 3f1c9e0a-...",
                "  taskctl submit --stage local data.json | taskctl watch --stage local -",
                "  taskctl watch --stage staging -o jsonl ID | jq .status"})
public final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;

    @Mixin
    VerbosityOptions verbosity;

    @Parameters(arity = "1..*", paramLabel = "ID|-", description = "Task ids, or - to read them from stdin (one per line).")
    List<String> ids;

    @Mixin
    Follow follow = new Follow();

    @Override
    public Integer call() throws Exception {
        List<String> resolved = TaskIds.resolve(ids, Main.environment(spec).stdin());
        try (TaskBackend backend = Backends.open(target)) {
            return follow.run(backend, resolved, output, target, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
