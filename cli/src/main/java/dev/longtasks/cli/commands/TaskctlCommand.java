package dev.longtasks.cli.commands;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command: picocli injects its spec, through which it writes ({@link #out()} for data,
 * {@link #err()} for everything else) and reaches the process environment. No options here, so
 * each subclass decides where its options appear in {@code --help}.
 */
@Command
abstract class TaskctlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    CliEnvironment environment() {
        return Main.environment(spec);
    }
}
