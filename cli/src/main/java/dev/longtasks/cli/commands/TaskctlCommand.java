package dev.longtasks.cli.commands;

import dev.longtasks.cli.CliEnvironment;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A leaf command: picocli injects its spec, through which it writes ({@link #out()} for data,
 * {@link #err()} for everything else) and reaches the process environment. Its only option is
 * {@code -h/--help} (every usage error points at {@code taskctl <command> --help}); each subclass
 * decides where its own options appear in the help.
 */
@Command
abstract class TaskctlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    CliEnvironment environment() {
        return CliEnvironment.of(spec);
    }
}
