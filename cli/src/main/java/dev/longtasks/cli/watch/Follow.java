package dev.longtasks.cli.watch;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.options.DurationConverter;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.cli.output.TaskPrinter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options and the loop shared by {@code watch} and {@code submit --wait}. */
public final class Follow {
    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "Longest pause between polls; polling starts fast and backs off to this (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.class,
            description = "Give up after this long and exit 4 (default: ${DEFAULT-VALUE}, the listener's own limit).")
    Duration timeout;

    @Option(names = "--pending-warning", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Warn when a task is still PENDING after this long (default: ${DEFAULT-VALUE}).")
    Duration pendingWarning;

    @Option(names = "--fail-fast", description = "Stop at the first task that fails, is cancelled or is not found.")
    boolean failFast;

    @Option(names = "--result", description = "Print only each task's result JSON, one per line.")
    boolean resultOnly;

    /** Follows the tasks, prints the final records on stdout and returns the worst exit code. */
    public int run(TaskBackend backend, List<String> ids, OutputOptions output, TargetOptions target,
            PrintWriter out, PrintWriter err) throws InterruptedException {
        if (interval.isZero() || interval.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw CliException.usage("--interval and --timeout must be positive durations");
        }
        // JSONL events are data (stdout), so -q does not silence them; it silences stderr progress.
        WatchDisplay.Mode mode = output.format() == OutputOptions.Format.jsonl ? WatchDisplay.Mode.JSONL
                : output.quiet() ? WatchDisplay.Mode.QUIET
                : !output.stderrIsTerminal() ? WatchDisplay.Mode.LINES
                : output.colourErr() ? WatchDisplay.Mode.LIVE
                // No colour means no escape sequences at all: one task redraws with \r, several get lines.
                : ids.size() == 1 ? WatchDisplay.Mode.LIVE_PLAIN : WatchDisplay.Mode.LINES;
        String hint = target.resolve() instanceof TargetOptions.Aws aws ? "Run `taskctl doctor --stage " + aws.stage() + "`."
                : "Check the server's log.";
        WatchDisplay display = new WatchDisplay(mode, out, err, new Styles(output.colourErr()), hint, target.flags());
        Watcher watcher = new Watcher(backend, new Watcher.Settings(interval, timeout, pendingWarning, failFast), display);
        List<WatchOutcome> outcomes = watcher.watch(ids);

        List<TaskView> finals = new ArrayList<>();
        int code = ExitCodes.OK;
        for (WatchOutcome o : outcomes) {
            code = ExitCodes.worst(code, o.exitCode());
            switch (o) {
                case WatchOutcome.Finished f -> finals.add(f.task());
                case WatchOutcome.TimedOut t when t.last() != null && !resultOnly -> finals.add(t.last());
                default -> {
                }
            }
        }
        if (resultOnly) {
            new TaskPrinter(out, output.format(), Styles.PLAIN).printResults(finals);
        } else if (output.format() != OutputOptions.Format.jsonl && !finals.isEmpty()) {
            // In JSONL the last event of each task already is its final record.
            TaskPrinter.to(out, output).print(finals);
        }
        return code;
    }
}
