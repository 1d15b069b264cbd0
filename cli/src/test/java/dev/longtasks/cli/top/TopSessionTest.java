package dev.longtasks.cli.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.LocalService;
import dev.longtasks.cli.backend.HttpTaskBackend;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.Eventually;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code top}'s loop against the real local service, with keys and a size from a terminal the
 * test plays (the real terminal, through stty and tmux, is TopInTmuxIT's).
 */
class TopSessionTest {
    private LocalService service;
    private HttpTaskBackend backend;

    /** Keys the test types, a size it can change, and whether the session gave the terminal back. */
    static final class PlayedTerminal implements Terminal {
        final BlockingQueue<Key> keys = new LinkedBlockingQueue<>();
        volatile Size size = new Size(20, 110);
        volatile boolean closed;

        @Override
        public Size size() {
            return size;
        }

        @Override
        public Key nextKey(Duration timeout) throws InterruptedException {
            return keys.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @BeforeEach
    void start() {
        service = new LocalService();
        backend = new HttpTaskBackend(URI.create(service.url()));
    }

    @AfterEach
    void stop() {
        backend.close();
        service.close();
    }

    private String submit(String data) {
        return backend.submit("example", Json.read(data));
    }

    /** The text of the last frame drawn, without escape sequences. */
    static String screen(StringWriter out) {
        String all;
        synchronized (out.getBuffer()) {
            all = out.toString();
        }
        String last = all.substring(Math.max(0, all.lastIndexOf("\u001b[H")));
        return last.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
    }

    private CompletableFuture<Integer> run(PlayedTerminal terminal, StringWriter out, String url) {
        TopSession session = new TopSession(new HttpTaskBackend(URI.create(url)), terminal, new PrintWriter(out),
                new TopView(Styles.PLAIN, ZoneOffset.UTC), Duration.ofMillis(300), url, Clock.systemUTC());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return session.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Nested
    class Keys {
        @Test
        void it_shows_running_tasks_with_progress_moves_the_selection_asks_before_cancelling_and_quits_with_q()
                throws Exception {
            String older = submit("{\"steps\":600,\"step_ms\":100}");
            String newer = submit("{\"steps\":600,\"step_ms\":100}");
            PlayedTerminal terminal = new PlayedTerminal();
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> code = run(terminal, out, service.url());

            Eventually.await("both tasks running with a bar", Duration.ofSeconds(20), () -> screen(out)
                    .matches("(?s).*> " + newer.substring(0, 8) + "  example  RUNNING    \\[#*-*\\] +\\d+%.*")
                    && screen(out).contains("  " + older.substring(0, 8) + "  example  RUNNING"));
            assertThat(screen(out)).contains("taskctl top — " + service.url(), "RUNNING 2", TopView.KEYS);

            terminal.keys.add(Key.DOWN);
            Eventually.await("the selection on the older task", Duration.ofSeconds(10),
                    () -> screen(out).contains("> " + older.substring(0, 8)));
            terminal.keys.add(Key.CANCEL);
            Eventually.await("the question", Duration.ofSeconds(10),
                    () -> screen(out).contains("Cancel task " + older + " (example, RUNNING)? [y/N]"));
            terminal.keys.add(Key.NO);
            Eventually.await("not cancelled", Duration.ofSeconds(10), () -> screen(out).contains("not cancelled: " + older.substring(0, 8)));
            assertThat(backend.get(older).map(TaskView::cancelRequested)).contains(false);

            terminal.keys.add(Key.CANCEL);
            terminal.keys.add(Key.YES);
            Eventually.await("the cancelled task gone from the open tasks", Duration.ofSeconds(20),
                    () -> !screen(out).contains(older.substring(0, 8) + "  example") && screen(out).contains("CANCELLED 1"));
            assertThat(backend.get(older).map(TaskView::status)).contains(TaskStatus.CANCELLED);
            assertThat(screen(out)).contains("> " + newer.substring(0, 8));

            terminal.keys.add(Key.QUIT);
            assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
            backend.cancel(newer);
        }

        @Test
        void q_while_asking_only_answers_no() throws Exception {
            String id = submit("{\"steps\":600,\"step_ms\":100}");
            PlayedTerminal terminal = new PlayedTerminal();
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> code = run(terminal, out, service.url());
            Eventually.await("the task", Duration.ofSeconds(20), () -> screen(out).contains("> " + id.substring(0, 8)));

            terminal.keys.add(Key.CANCEL);
            terminal.keys.add(Key.QUIT);
            Eventually.await("not cancelled", Duration.ofSeconds(10), () -> screen(out).contains("not cancelled"));
            assertThat(code).isNotDone();
            terminal.keys.add(Key.QUIT);

            assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(backend.get(id).map(TaskView::cancelRequested)).contains(false);
            backend.cancel(id);
        }
    }

    @Nested
    class The_screen {
        @Test
        void follows_a_resize() throws Exception {
            String id = submit("{\"steps\":600,\"step_ms\":100}");
            PlayedTerminal terminal = new PlayedTerminal();
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> code = run(terminal, out, service.url());
            Eventually.await("the task", Duration.ofSeconds(20), () -> screen(out).contains(id.substring(0, 8)));

            terminal.size = new Terminal.Size(12, 50);
            Eventually.await("a frame of 12 rows of at most 50 columns", Duration.ofSeconds(20), () -> {
                List<String> lines = screen(out).lines().toList();
                return lines.size() == 12 && lines.stream().allMatch(l -> l.length() <= 50)
                        && lines.get(0).length() == 50 && lines.get(0).matches(".*  \\d\\d:\\d\\d:\\d\\d");
            });
            terminal.keys.add(Key.QUIT);
            assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
            backend.cancel(id);
        }

        @Test
        void a_first_poll_that_fails_ends_top_with_the_one_line_error() {
            PlayedTerminal terminal = new PlayedTerminal();
            TopSession session = new TopSession(new HttpTaskBackend(URI.create("http://127.0.0.1:9")), terminal,
                    new PrintWriter(new StringWriter()), new TopView(Styles.PLAIN, ZoneOffset.UTC), Duration.ofSeconds(1),
                    "http://127.0.0.1:9", Clock.systemUTC());

            assertThatThrownBy(session::run).isInstanceOfSatisfying(CliException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(5);
                assertThat(e.getMessage()).startsWith("cannot reach the task API at http://127.0.0.1:9");
            });
        }
    }

    @Nested
    class The_command {
        @Test
        void refuses_with_one_line_and_exit_2_when_stdout_is_not_a_terminal() {
            var r = CliRun.run(Map.of(), "", "top", "--api-url", service.url());

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("taskctl: top draws a full screen and stdout is not a terminal; for a log or a "
                    + "pipe use `taskctl ls --watch --api-url " + service.url() + " --status PENDING,RUNNING`\n");
        }
    }
}
