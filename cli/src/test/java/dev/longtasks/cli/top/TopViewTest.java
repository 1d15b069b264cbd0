package dev.longtasks.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One frame of {@code top}: what each line says, and that no line is wider than the terminal. */
class TopViewTest {
    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    static final String STATS = "{\"since\":\"2026-11-30T11:00:00Z\",\"as_of\":\"2026-11-30T12:00:00Z\",\"total\":9,"
            + "\"by_status\":{\"PENDING\":1,\"RUNNING\":2,\"SUCCEEDED\":4,\"FAILED\":1,\"CANCELLED\":1},\"by_type\":{},"
            + "\"oldest_pending\":{\"task_id\":\"cccccccc-0000-4000-8000-000000000003\",\"task_type\":\"example\","
            + "\"created_at\":\"2026-11-30T11:58:55Z\",\"age_seconds\":65}}";

    static TaskView task(String id, String status, Integer percent, String message, String createdAt) {
        String progress = percent == null ? "null" : "{\"percent\":" + percent + ",\"message\":\"" + message + "\"}";
        return read("{\"task_id\":\"" + id + "\",\"task_type\":\"example\",\"status\":\"" + status + "\",\"progress\":"
                + progress + ",\"result\":null,\"error\":null,\"attempt\":1,\"cancel_requested\":false,\"created_at\":\""
                + createdAt + "\",\"updated_at\":\"" + createdAt + "\",\"started_at\":null,\"finished_at\":null,"
                + "\"expires_at\":null}", TaskView.class);
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final List<TaskView> tasks = List.of(
            task("aaaaaaaa-0000-4000-8000-000000000001", "RUNNING", 40, "step 4 of 10", "2026-11-30T11:59:48Z"),
            task("bbbbbbbb-0000-4000-8000-000000000002", "RUNNING", 5, "warming up", "2026-11-30T11:59:30Z"),
            task("cccccccc-0000-4000-8000-000000000003", "PENDING", null, null, "2026-11-30T11:58:55Z"));
    private final TaskStatsView stats = read(STATS, TaskStatsView.class);
    private final TopView plain = new TopView(Styles.PLAIN, ZoneOffset.UTC);

    private List<String> frame(List<TaskView> shown, String selected, String prompt, String message, int rows, int columns) {
        return plain.render(new TopView.Frame("http://127.0.0.1:4000", shown, stats, selected, prompt, message, NOW),
                new Terminal.Size(rows, columns));
    }

    @Nested
    class A_frame {
        @Test
        void shows_the_target_the_counts_the_oldest_pending_age_and_a_row_per_open_task() {
            List<String> lines = frame(tasks, tasks.get(1).taskId(), null, null, 12, 100);

            assertThat(lines).hasSize(12);
            assertThat(lines.get(0)).startsWith("taskctl top — http://127.0.0.1:4000").endsWith("12:00:00");
            assertThat(lines.get(1)).isEqualTo("PENDING 1  RUNNING 2  SUCCEEDED 4  FAILED 1  CANCELLED 1  oldest pending cccccccc 1m05s");
            assertThat(lines.get(3)).startsWith("  TASK ID   TYPE     STATUS     PROGRESS").contains("AGE", "MESSAGE");
            assertThat(lines.get(4)).startsWith("  aaaaaaaa  example  RUNNING    [").contains("]  40%", "12s", "step 4 of 10");
            assertThat(lines.get(5)).startsWith("> bbbbbbbb  example  RUNNING    [").contains("]   5%", "30s", "warming up");
            assertThat(lines.get(6)).startsWith("  cccccccc  example  PENDING    [").contains("]    -", "1m05s");
            assertThat(lines.get(11)).isEqualTo(TopView.KEYS);
        }

        @Test
        void draws_the_bar_in_proportion_to_the_percentage() {
            String row = frame(tasks, null, null, null, 10, 100).get(4);
            String bar = row.substring(row.indexOf('[') + 1, row.indexOf(']'));

            assertThat(bar.length()).isBetween(10, 30);
            assertThat(bar.chars().filter(c -> c == '#').count()).isEqualTo(bar.length() * 40L / 100);
        }

        @Test
        void never_is_wider_than_the_terminal_nor_taller() {
            for (int columns : new int[] {20, 40, 60, 80, 120, 200}) {
                for (int rows : new int[] {5, 8, 30}) {
                    List<String> lines = frame(tasks, tasks.getFirst().taskId(), "Cancel task " + tasks.getFirst().taskId()
                            + " (example, RUNNING)? [y/N]", null, rows, columns);
                    assertThat(lines).as(rows + "x" + columns).hasSizeLessThanOrEqualTo(rows);
                    assertThat(lines).as(rows + "x" + columns).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(columns));
                }
            }
        }

        @Test
        void puts_a_question_or_a_message_in_the_footer() {
            List<String> asking = frame(tasks, tasks.getFirst().taskId(), "Cancel task x (example, RUNNING)? [y/N]", null, 10, 100);
            List<String> told = frame(tasks, null, null, "cancel requested: aaaaaaaa stops at its next check", 10, 100);

            assertThat(asking.getLast()).isEqualTo("Cancel task x (example, RUNNING)? [y/N]");
            assertThat(told.getLast()).startsWith("cancel requested: aaaaaaaa stops at its next check").endsWith(TopView.KEYS);
        }

        @Test
        void says_so_when_nothing_is_open() {
            assertThat(frame(List.of(), null, null, null, 8, 80)).contains("  No open tasks (PENDING or RUNNING).");
        }

        @Test
        void scrolls_to_keep_the_selected_row_on_screen_and_counts_the_rows_below() {
            List<TaskView> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(task(String.format("%08d-0000-4000-8000-000000000000", i), "RUNNING", i, "n", "2026-11-30T11:59:00Z"));
            }

            List<String> top = frame(many, many.getFirst().taskId(), null, null, 10, 100);
            List<String> bottom = frame(many, many.getLast().taskId(), null, null, 10, 100);

            assertThat(top.getLast()).endsWith("(15 more below)");
            assertThat(String.join("\n", bottom)).contains("> 00000019");
        }
    }

    @Nested
    class Colour {
        @Test
        void is_off_without_styles_and_marks_the_selection_in_reverse_video_with_them() {
            TopView coloured = new TopView(new Styles(true), ZoneOffset.UTC);
            List<String> lines = coloured.render(new TopView.Frame("t", tasks, stats, tasks.getFirst().taskId(), null, null, NOW),
                    new Terminal.Size(10, 100));

            assertThat(String.join("", frame(tasks, tasks.getFirst().taskId(), null, null, 10, 100))).doesNotContain("\u001b");
            assertThat(lines.get(4)).startsWith("\u001b[7m> aaaaaaaa");
            assertThat(lines.get(5)).contains("\u001b[");
        }
    }
}
