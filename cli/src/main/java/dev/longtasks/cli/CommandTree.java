package dev.longtasks.cli;

import dev.longtasks.cli.commands.CompletionCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Builds picocli's command line for one run. picocli reflects over every option of every
 * registered command before it parses anything, so when the first argument names a command, only
 * that command is registered under the root: it parses, runs and answers {@code --help} exactly
 * as in the whole tree, which is built for everything else (help, completion, no or an unknown
 * command, root options).
 */
final class CommandTree {
    private CommandTree() {
    }

    static CommandLine forArgs(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        return build(environment, out, err, args.length == 0 ? List.of() : only(args[0]));
    }

    static CommandLine whole(CliEnvironment environment, PrintWriter out, PrintWriter err) {
        return build(environment, out, err, List.of());
    }

    /** The command named {@code name}, or an empty list when the whole tree is needed. */
    static List<Class<?>> only(String name) {
        for (Class<?> command : Main.commands()) {
            if (!describesTheTree(command) && namesOf(command).contains(name)) {
                return List.of(command);
            }
        }
        return List.of();
    }

    /** help and completion print what the whole tree holds. */
    private static boolean describesTheTree(Class<?> command) {
        return command == CommandLine.HelpCommand.class || command == CompletionCommand.class;
    }

    private static List<String> namesOf(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** The root's answer to no command; built here, so that linking Main loads no picocli class. */
    static RuntimeException noCommand(CommandSpec root) {
        return new CommandLine.ParameterException(root.commandLine(), "a command is needed (see `taskctl --help`)");
    }

    private static CommandLine build(CliEnvironment environment, PrintWriter out, PrintWriter err, List<Class<?>> only) {
        CommandLine cli = new CommandLine(new Main(environment));
        for (Class<?> command : only.isEmpty() ? Main.commands() : only) {
            cli.addSubcommand(command);
        }
        // Set after the commands are added: these setters reach the subcommands present when called.
        ErrorHandler errors = new ErrorHandler();
        return cli.setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors)
                .setColorScheme(CommandLine.Help.defaultColorScheme(
                        environment.stdoutIsTerminal() && environment.get("NO_COLOR") == null
                                ? CommandLine.Help.Ansi.AUTO : CommandLine.Help.Ansi.OFF));
    }
}
