package dev.longtasks.cli;

import dev.longtasks.Version;
import dev.longtasks.cli.commands.CancelCommand;
import dev.longtasks.cli.commands.CompletionCommand;
import dev.longtasks.cli.commands.DevCommand;
import dev.longtasks.cli.commands.DlqCommand;
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
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code taskctl}: the operator CLI of the long-running task service.
 *
 * <p>Start-up is most of a command's run time, so two paths avoid work: {@code --version} is
 * answered before picocli loads, and {@link CommandTree} builds picocli's model of the one
 * command being run rather than of all of them. Code here must not make the JVM load picocli
 * before {@link #run} decides it is needed (MainStartupTest checks that).
 */
@Command(name = "taskctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Operate the long-running task service: bootstrap a stage, submit and watch tasks, "
                + "debug the listener, run the service locally.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0 succeeded            1 task failed or cancelled   2 usage or invalid input",
                "  3 not found or expired 4 timed out waiting          5 configuration or AWS error",
                "  130 interrupted",
                "",
                "Docs: docs/taskctl.md; `taskctl <command> --help` for one command."})
public final class Main implements Runnable {
    /** The root's version options (picocli's standard -V/--version; a test keeps them in step). */
    static final Set<String> VERSION_OPTIONS = Set.of("-V", "--version");

    private final CliEnvironment environment;

    @Spec
    CommandSpec spec;

    public Main(CliEnvironment environment) {
        this.environment = environment;
    }

    /**
     * Every command, in the order {@code taskctl --help} lists them. A method, so that naming them
     * loads none. picocli-codegen writes the native-image config of our commands; picocli's own
     * HelpCommand, named by no annotation, is in META-INF/native-image/dev.longtasks/cli-commands/.
     */
    static List<Class<?>> commands() {
        return List.of(
                SetupParamsCommand.class, ParamsCommand.class, DoctorCommand.class,
                SubmitCommand.class, WatchCommand.class, StatusCommand.class, CancelCommand.class,
                LsCommand.class, TopCommand.class,
                InvokeCommand.class, DlqCommand.class, EventCommand.class, DevCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class);
    }

    /** What {@code --version} prints: the one build version, shared with the service. */
    static String version() {
        return "taskctl " + Version.current();
    }

    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public void run() {
        throw CommandTree.noCommand(spec);
    }

    public static void main(String... args) {
        configureProcess(args);
        // UTF-8 whatever the locale: the live line and the messages use a few non-ASCII symbols.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        System.exit(run(CliEnvironment.system(), out, err, args));
    }

    /** The process-wide settings a run needs; only main (and the AOT training) sets them, tests keep the defaults. */
    static void configureProcess(String... args) {
        Logging.configure(args);
        // No Groovy here: spares picocli a class lookup that misses, reading the whole jar's index.
        System.setProperty("picocli.disable.closures", "true");
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(CliEnvironment.system(), out, err, args);
    }

    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        try {
            if (args.length == 1 && VERSION_OPTIONS.contains(args[0])) {
                // What picocli would print, without loading it: a third of a bare --version's time.
                out.println(version());
                return 0;
            }
            return CommandTree.forArgs(environment, out, err, args).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
