package dev.longtasks.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.fusesource.jansi.internal.CLibrary;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the process gets from outside besides its arguments: environment variables, stdin and
 * whether stdout/stderr/stdin are terminals. Tests pass their own, so no command reads System.* itself.
 *
 * @param stdinIsTerminal whether a person can answer a question (confirmation prompts)
 */
public record CliEnvironment(Map<String, String> env, Supplier<InputStream> stdin,
                             boolean stdoutIsTerminal, boolean stderrIsTerminal, boolean stdinIsTerminal) {

    /** With stdin not a terminal: nobody to ask. */
    public CliEnvironment(Map<String, String> env, Supplier<InputStream> stdin, boolean stdoutIsTerminal, boolean stderrIsTerminal) {
        this(env, stdin, stdoutIsTerminal, stderrIsTerminal, false);
    }

    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), () -> System.in, isTerminal(1), isTerminal(2), isTerminal(0));
    }

    /** For tests and pipelines: no terminal, the given variables and stdin. */
    public static CliEnvironment of(Map<String, String> env, Supplier<InputStream> stdin) {
        return new CliEnvironment(Map.copyOf(env), stdin, false, false);
    }

    /**
     * The environment of the running command line: every command and mixin reaches it from its
     * spec. Here rather than on Main: the launcher reflects over Main's public methods, and a
     * picocli type in their signatures would load picocli for {@code --version} too.
     */
    public static CliEnvironment of(CommandSpec anySpec) {
        return ((Main) anySpec.root().userObject()).environment();
    }

    public String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * Linux answers from /proc without loading anything; elsewhere jansi's isatty is asked.
     * System.console() is no help: it is null whenever stdin is piped, as in {@code submit | watch -}.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (Exception e) {
                return false;
            }
        }
        try {
            return CLibrary.isatty(fd) != 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
