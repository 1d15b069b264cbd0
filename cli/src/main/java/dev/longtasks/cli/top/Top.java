package dev.longtasks.cli.top;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.Styles;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Starts {@code taskctl top}: refuses where it cannot draw (stdout not a terminal, {@code TERM=dumb}),
 * opens the target, takes the terminal over, and always gives it back, also when the first poll
 * fails (the one-line error then prints on a restored terminal).
 */
public final class Top {
    private Top() {
    }

    public static int run(TargetOptions target, CliEnvironment env, PrintWriter out, Duration interval, boolean noColor)
            throws InterruptedException, IOException {
        if (!env.stdoutIsTerminal()) {
            throw CliException.usage("top draws a full screen and stdout is not a terminal; for a log or a pipe use "
                    + "`taskctl ls --watch " + target.flags() + "--status PENDING,RUNNING`");
        }
        if ("dumb".equals(env.get("TERM"))) {
            throw CliException.usage("top cannot draw on TERM=dumb; use `taskctl ls --watch " + target.flags() + "`");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw CliException.usage("--interval must be a positive duration");
        }
        boolean colour = !noColor && env.get("NO_COLOR") == null;
        try (TaskBackend backend = Backends.open(target)) {
            Terminal terminal;
            try {
                terminal = SttyTerminal.open();
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "top cannot take over the terminal (" + e.getMessage()
                        + "); use `taskctl ls --watch " + target.flags() + "`", e);
            }
            try (terminal) {
                TopView view = new TopView(new Styles(colour), ZoneId.systemDefault());
                return new TopSession(backend, terminal, out, view, interval, target.resolve().describe(), Clock.systemUTC())
                        .run();
            }
        }
    }
}
