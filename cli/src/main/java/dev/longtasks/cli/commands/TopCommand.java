package dev.longtasks.cli.commands;

import dev.longtasks.cli.options.DurationConverter;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.options.VerbosityOptions;
import dev.longtasks.cli.top.Top;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "top", sortOptions = false,
        description = {"A full-screen live view of the open tasks (PENDING, RUNNING): progress bars, counts by status,",
                "the oldest PENDING task's age. Keys: ↑/↓ or j/k select, c cancel (asks y/N), r refresh, q quit.",
                "Needs a terminal; for a log or a pipe use `taskctl ls --watch`."},
        footer = {"", "Examples:",
                "  taskctl top --stage local",
                "  taskctl top --api-url https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com --auth iam"})
public final class TopCommand extends TaskctlCommand {
    @Mixin
    TargetOptions target;

    @Mixin
    VerbosityOptions verbosity;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Longest pause between polls; fast after a change (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--no-color", description = "No colours (also with $NO_COLOR); the selected row keeps its '>' mark.")
    boolean noColor;

    @Override
    public Integer call() throws Exception {
        return Top.run(target, environment(), out(), interval, noColor);
    }
}
