package dev.longtasks.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The README is a short entry point: what it is, a quick start that works as written, the architecture, links. */
class ReadmeTest {
    static final int MAX_README_BYTES = 12_000;

    /** The command lines of the "## Quick start" section: lines of its sh blocks, and "$ " lines of the others. */
    static List<String> quickStartCommands(String readme) {
        List<String> commands = new ArrayList<>();
        boolean inQuickStart = false;
        String fence = null;
        for (String line : readme.lines().toList()) {
            if (line.startsWith("## ")) {
                inQuickStart = line.strip().equalsIgnoreCase("## Quick start");
            } else if (inQuickStart && line.startsWith("```")) {
                fence = fence == null ? line.substring(3).strip() : null;
            } else if (inQuickStart && fence != null) {
                if (fence.equals("sh") && !line.isBlank()) {
                    commands.add(line);
                } else if (line.startsWith("$ ")) {
                    commands.add(line.substring(2));
                }
            }
        }
        return commands;
    }

    /** The commands of a shell line that start with a bare {@code taskctl}, found only through PATH. */
    static List<String> bareTaskctl(String commandLine) {
        String code = commandLine.contains(" #") ? commandLine.substring(0, commandLine.indexOf(" #")) : commandLine;
        List<String> bare = new ArrayList<>();
        for (String command : code.split("&&|\\|\\||;|\\|")) {
            String first = command.strip().split("\\s+")[0];
            if (first.equals("taskctl")) {
                bare.add(command.strip());
            }
        }
        return bare;
    }

    @Nested
    class The_readme {
        private final String readme = RepoFiles.read("README.md");

        @Test
        void is_at_most_12_kb() throws IOException {
            assertThat(Files.size(RepoFiles.root().resolve("README.md"))).isLessThanOrEqualTo(MAX_README_BYTES);
        }

        @Test
        void says_what_it_is_then_quick_start_then_architecture_then_the_links() {
            List<String> sections = readme.lines().filter(l -> l.startsWith("## ")).toList();

            assertThat(sections).containsExactly("## Quick start", "## Architecture", "## Documentation");
            assertThat(readme.substring(0, readme.indexOf("## Quick start"))).contains("Java 21", "taskctl");
        }

        @Test
        void its_architecture_section_draws_the_task_lifecycle_with_who_moves_each_arrow() {
            String architecture = readme.substring(readme.indexOf("## Architecture"), readme.indexOf("## Documentation"));
            String diagram = architecture.substring(architecture.indexOf("The lifecycle, and who moves each arrow"));
            assertThat(diagram).contains("PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED",
                    "EnqueueFailed", "QueueTimeout", "MaxAttemptsExceeded");
            // Every mover named on its arrows: the API, the client, the runner, the reconciler.
            assertThat(diagram).contains("(API", "(client", "(runner", "(reconciler)");
        }

        @Test
        void links_every_page_of_the_manual_and_the_top_level_pages() throws IOException {
            for (Path page : DocsLinksTest.pages()) {
                String name = RepoFiles.root().relativize(page).toString();
                if (!name.equals("README.md")) {
                    assertThat(readme).as(name).contains("](" + name + ")");
                }
            }
        }
    }

    @Nested
    class The_quick_start {
        private final List<String> commands = quickStartCommands(RepoFiles.read("README.md"));

        @Test
        void installs_runs_the_service_and_submits_from_a_second_shell() {
            assertThat(commands).anyMatch(c -> c.startsWith("./install.sh && ") && c.contains("taskctl dev"));
            assertThat(commands).anyMatch(c -> c.contains("taskctl submit --stage local examples/data.json --wait"));
        }

        @Test
        void never_calls_a_bare_taskctl_that_only_works_with_local_bin_on_the_path() {
            assertThat(commands).isNotEmpty().allSatisfy(c -> assertThat(bareTaskctl(c)).as(c).isEmpty());
        }

        @Test
        void tells_a_bare_taskctl_apart_from_one_called_by_its_path() {
            assertThat(bareTaskctl("./install.sh && taskctl dev   # runs it")).containsExactly("taskctl dev");
            assertThat(bareTaskctl("echo x | taskctl submit -; taskctl watch -")).containsExactly("taskctl submit -", "taskctl watch -");
            assertThat(bareTaskctl("./install.sh && ~/.local/bin/taskctl dev   # taskctl dev")).isEmpty();
        }

        @Test
        void its_test_command_is_what_the_ci_entry_point_runs() {
            List<String> ciCommands = RepoFiles.read(".ci/run").lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#") && l.contains("test.sh"))
                    .toList();

            assertThat(ciCommands).containsExactly(RepoFiles.readmeTestCommand());
        }
    }
}
