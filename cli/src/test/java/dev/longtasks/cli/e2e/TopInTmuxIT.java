package dev.longtasks.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.LocalService;
import dev.longtasks.cli.backend.HttpTaskBackend;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskctl top} in a real terminal: the jar this build made runs in a detached tmux session
 * (120x30) against the local service; the test reads the screen with {@code capture-pane} and
 * types with {@code send-keys}, as a person would. The last screen seen is kept in
 * target/top-capture.txt.
 */
class TopInTmuxIT {
    private static final Path TMUX = Path.of("/usr/bin/tmux");
    private static final long WAIT_MS = 60_000;

    private final String socket = "taskctl-top-" + UUID.randomUUID().toString().substring(0, 8);

    @Nested
    class In_tmux {
        @Test
        void top_shows_a_running_tasks_progress_cancels_it_after_y_and_quits_on_q_leaving_the_terminal_as_it_was(
                @TempDir Path dir) throws Exception {
            requireTmux();
            Path jar = Path.of(System.getProperty("taskctl.jar"));
            assertThat(jar).as("the jar this build made (failsafe runs after package)").exists();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            try (LocalService service = new LocalService(); HttpTaskBackend api = new HttpTaskBackend(URI.create(service.url()))) {
                String id = api.submit("example", Json.read("{\"steps\":3000,\"step_ms\":50}"));
                String prefix = id.substring(0, 8);
                Path script = dir.resolve("top.sh");
                Files.writeString(script, "#!/bin/sh\n"
                        + "'" + java + "' -jar '" + jar + "' top --api-url " + service.url() + "\n"
                        + "echo \"taskctl-exit=$?\"\n"
                        // The local modes after top: icanon and echo are on again unless top left the terminal raw.
                        + "echo \"modes: $(stty -a | tr -s ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' ')\"\n"
                        + "exec sleep 600\n");
                try {
                    tmux("-f", "/dev/null", "new-session", "-d", "-s", "top", "-x", "120", "-y", "30", "sh " + script);

                    String screen = waitFor("the task's row with a progress bar and a percentage",
                            s -> s.matches("(?s).*> " + prefix + "  example  RUNNING    \\[#+-*\\] +\\d+%.*"));
                    assertThat(screen).contains("taskctl top — " + service.url(), "RUNNING 1", "↑/↓ or j/k select  c cancel");
                    assertThat(tmux("display-message", "-p", "-t", "top", "#{alternate_on}").strip()).isEqualTo("1");
                    Files.writeString(Path.of("target", "top-capture.txt"), screen);

                    tmux("send-keys", "-t", "top", "c");
                    waitFor("the question", s -> s.contains("Cancel task " + id + " (example, RUNNING)? [y/N]"));
                    tmux("send-keys", "-t", "top", "y");
                    screen = waitFor("the task cancelled and gone from the open tasks",
                            s -> s.contains("CANCELLED 1") && !s.contains(prefix + "  example"));
                    assertThat(api.get(id).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
                    Files.writeString(Path.of("target", "top-capture-after-cancel.txt"), screen);

                    tmux("send-keys", "-t", "top", "q");
                    screen = waitFor("top's exit status", s -> s.contains("taskctl-exit=") && s.contains("modes:"));
                    assertThat(screen).contains("taskctl-exit=0");
                    assertThat(screen).containsPattern("modes: (icanon echo|echo icanon)\\s");
                    assertThat(tmux("display-message", "-p", "-t", "top", "#{alternate_on} #{cursor_flag}").strip())
                            .as("the normal screen is back, with the cursor").isEqualTo("0 1");
                } finally {
                    tmuxQuietly("kill-server");
                }
            }
        }
    }

    static void requireTmux() {
        if (!Files.isExecutable(TMUX)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but /usr/bin/tmux is missing; .ci/run installs it with apt-get");
            }
            Assumptions.abort("skipped: /usr/bin/tmux is missing (apt-get install -y tmux); CI is not set");
        }
    }

    private String waitFor(String what, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", "top");
            if (done.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gave up waiting for " + what + "; the screen:\n" + screen);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TMUX.toString(), "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tmux %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    private void tmuxQuietly(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of(TMUX.toString(), "-L", socket));
            command.addAll(List.of(args));
            new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // cleanup only
        }
    }
}
