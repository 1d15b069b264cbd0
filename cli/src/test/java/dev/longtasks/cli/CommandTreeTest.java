package dev.longtasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.cli.nativeimage.ClassFiles;
import dev.longtasks.json.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The start-up shortcuts change nothing a user sees: a command registered alone answers as in
 * the whole tree, and {@code --version} prints what picocli prints. Both hold for commands added
 * later, as every test here walks {@link Main#commands()}.
 */
class CommandTreeTest {
    record Run(int code, String out, String err) {
    }

    static CliEnvironment env() {
        return CliEnvironment.of(Map.of(), () -> new ByteArrayInputStream(new byte[0]));
    }

    /** Runs the command line {@code build} makes, the way Main.run does. */
    static Run run(boolean whole, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        CommandLine cli = whole ? CommandTree.whole(env(), o, e) : CommandTree.forArgs(env(), o, e, args);
        int code = cli.execute(args);
        o.flush();
        e.flush();
        return new Run(code, out.toString(), err.toString());
    }

    static Stream<String> commandNames() {
        return Main.commands().stream().map(c -> c.getAnnotation(Command.class).name());
    }

    static Set<String> subcommandsFor(String... args) {
        return CommandTree.forArgs(env(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args)
                .getSubcommands().keySet();
    }

    @Nested
    class One_command_alone {
        @Test
        void a_command_named_first_is_the_only_one_picocli_builds() {
            assertThat(subcommandsFor("status", "--api-url", "http://127.0.0.1:9", "some-id")).containsExactly("status");
            assertThat(subcommandsFor("event", "sns", "--task-id", "x")).containsExactly("event");
        }

        @Test
        void help_completion_root_options_and_unknown_commands_get_the_whole_tree() {
            List<String> all = commandNames().toList();
            for (String[] args : new String[][] {{}, {"--help"}, {"-V", "--help"}, {"help", "status"}, {"completion", "bash"},
                    {"stauts", "x"}, {"-v", "status"}}) {
                assertThat(subcommandsFor(args)).as(String.join(" ", args)).containsExactlyElementsOf(all);
            }
        }

        @ParameterizedTest
        @MethodSource("dev.longtasks.cli.CommandTreeTest#commandNames")
        void answers_help_and_usage_errors_exactly_as_in_the_whole_tree(String command) {
            for (String[] args : new String[][] {{command, "--help"}, {command, "--no-such-option"}, {command, "-h", "extra"}}) {
                assertThat(run(false, args)).as(String.join(" ", args)).isEqualTo(run(true, args));
            }
        }
    }

    @Nested
    class Version {
        @Test
        void the_shortcut_prints_byte_for_byte_what_picocli_prints() {
            for (String option : Main.VERSION_OPTIONS) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.run(env(), new PrintWriter(out), new PrintWriter(err), option);

                assertThat(new Run(code, out.toString(), err.toString())).isEqualTo(run(true, option));
                assertThat(out.toString()).startsWith("taskctl ");
            }
        }

        @Test
        void takes_exactly_the_options_picocli_gives_the_root_for_it() {
            Set<String> picocli = new HashSet<>();
            for (OptionSpec o : CommandTree.whole(env(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                    .getCommandSpec().options()) {
                if (o.versionHelp()) {
                    picocli.addAll(List.of(o.names()));
                }
            }
            assertThat(Main.VERSION_OPTIONS).isEqualTo(picocli);
        }
    }

    @Nested
    class Registration {
        /** Every named @Command class of ours that is not a subcommand of another one. */
        static List<Class<?>> topLevelCommands() throws Exception {
            List<Class<?>> named = new ArrayList<>();
            Set<Class<?>> nested = new HashSet<>();
            for (String name : ClassFiles.ourClasses()) {
                Class<?> c = Class.forName(name, false, CommandTreeTest.class.getClassLoader());
                Command command = c.getAnnotation(Command.class);
                if (name.startsWith("dev.longtasks.cli.") && command != null && !command.name().equals("<main class>")
                        && !Modifier.isAbstract(c.getModifiers()) && c != Main.class) {
                    named.add(c);
                    nested.addAll(List.of(command.subcommands()));
                }
            }
            named.removeAll(nested);
            return named;
        }

        @Test
        void every_command_class_is_listed_in_main() throws Exception {
            assertThat(topLevelCommands()).as("commands missing from Main.commands()").isNotEmpty()
                    .allSatisfy(c -> assertThat(Main.commands()).contains(c));
        }

        @Test
        void the_root_annotation_lists_no_subcommands_as_they_would_all_be_built_every_time() {
            assertThat(Main.class.getAnnotation(Command.class).subcommands()).isEmpty();
        }

        @Test
        void every_command_is_in_the_native_image_reflection_config() throws Exception {
            Set<String> configured = new HashSet<>();
            // picocli-codegen lists the commands it compiled; cli-commands/ holds picocli's own help command.
            for (String config : List.of("/META-INF/native-image/dev.longtasks/cli-commands/reflect-config.json",
                    "/META-INF/native-image/picocli-generated/dev.longtasks/cli/reflect-config.json")) {
                try (InputStream in = CommandTreeTest.class.getResourceAsStream(config)) {
                    assertThat(in).as(config).isNotNull();
                    for (JsonNode entry : Json.MAPPER.readTree(in)) {
                        configured.add(entry.path("name").asText());
                    }
                }
            }
            assertThat(configured).containsAll(Main.commands().stream().map(Class::getName).toList());
        }
    }
}
