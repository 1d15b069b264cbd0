package dev.longtasks.cli;

import dev.longtasks.cli.commands.CancelCommand;
import dev.longtasks.cli.commands.CompletionCommand;
import dev.longtasks.cli.commands.DevCommand;
import dev.longtasks.cli.commands.DoctorCommand;
import dev.longtasks.cli.commands.EventCommand;
import dev.longtasks.cli.commands.InvokeCommand;
import dev.longtasks.cli.commands.LsCommand;
import dev.longtasks.cli.commands.ParamsCommand;
import dev.longtasks.cli.commands.SetupParamsCommand;
import dev.longtasks.cli.commands.StatusCommand;
import dev.longtasks.cli.commands.SubmitCommand;
import dev.longtasks.cli.commands.TopCommand;
import dev.longtasks.cli.commands.WatchCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code taskctl}: the operator CLI of the long-running task service. */
@Command(name = "taskctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Operate the long-running task service: bootstrap a stage, submit and watch tasks, "
                + "debug the listener, run the service locally.",
        subcommands = {
                SetupParamsCommand.class, ParamsCommand.class, DoctorCommand.class,
                SubmitCommand.class, WatchCommand.class, StatusCommand.class, CancelCommand.class,
                LsCommand.class, TopCommand.class,
                InvokeCommand.class, EventCommand.class, DevCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 succeeded            1 task failed or cancelled   2 usage or invalid input",
                "  3 not found or expired 4 timed out waiting          5 configuration or AWS error",
                "  130 interrupted",
                "",
                "Docs: docs/taskctl.md; `taskctl <command> --help` for one command."})
public final class Main implements Runnable {
    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    public Main(CliEnvironment environment) {
        this.environment = environment;
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** The environment of the running command line: every command and mixin reaches it from its spec. */
    public static CliEnvironment environment(CommandSpec anySpec) {
        return ((Main) anySpec.root().userObject()).environment;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed (see `taskctl --help`)");
    }

    public static void main(String... args) {
        Logging.configure(args);
        // UTF-8 whatever the locale: the live line and the messages use a few non-ASCII symbols.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        System.exit(run(CliEnvironment.system(), out, err, args));
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(CliEnvironment.system(), out, err, args);
    }

    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(environment, out, err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(CliEnvironment environment, PrintWriter out, PrintWriter err) {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new Main(environment))
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setColorScheme(CommandLine.Help.defaultColorScheme(
                        environment.stdoutIsTerminal() && environment.get("NO_COLOR") == null
                                ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    }
}
