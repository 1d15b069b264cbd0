package dev.longtasks.cli.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskLists;
import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.LocalService;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code ls} and {@code top} read a stage's store directly (ServiceTaskBackend, the list routes'
 * own code in-process) or the HTTP API (HttpTaskBackend); both give the same pages and the same
 * refusals.
 */
class ListingBackendsTest {
    private TaskSystem system;
    private ServiceTaskBackend direct;
    private LocalService service;
    private HttpTaskBackend http;

    @BeforeEach
    void start() {
        system = Systems.start("API_STAGE", "local", "TASKS_WORKERS", "2");
        direct = new ServiceTaskBackend("stage test", system.service(),
                new TaskLists(system.listing().orElseThrow(), "memory", Duration.ofHours(1), Clock.systemUTC()), List.of());
        service = new LocalService();
        http = new HttpTaskBackend(URI.create(service.url()));
    }

    @AfterEach
    void stop() {
        http.close();
        service.close();
        system.shutdown(Duration.ZERO);
    }

    private static ListQuery query(List<String> statuses, Integer limit, String cursor) {
        return new ListQuery(statuses, List.of(), null, limit, cursor);
    }

    @Nested
    class Both_backends {
        @Test
        void list_newest_first_page_by_cursor_and_count_by_status() {
            for (TaskBackend backend : List.of(direct, http)) {
                String first = backend.submit("noop", Json.read("{}"));
                String second = backend.submit("noop", Json.read("{}"));

                TaskListView page = backend.list(query(List.of(), 1, null));
                TaskListView next = backend.list(query(List.of(), 1, page.nextCursor()));
                TaskStatsView stats = backend.stats("15m");

                assertThat(page.tasks()).extracting(TaskView::taskId).as(backend.describe()).containsExactly(second);
                assertThat(next.tasks()).extracting(TaskView::taskId).as(backend.describe()).containsExactly(first);
                assertThat(stats.total()).as(backend.describe()).isEqualTo(2);
                assertThat(stats.byType()).containsOnlyKeys("noop");
                assertThat(stats.byStatus().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
                assertThat(stats.byStatus()).containsKeys(TaskStatus.values());
            }
        }

        @Test
        void refuse_a_bad_filter_with_the_same_words_and_exit_2() {
            CliException viaHttp = refusal(http, query(List.of("DONE"), null, null));
            CliException viaStore = refusal(direct, query(List.of("DONE"), null, null));

            assertThat(viaStore.exitCode()).isEqualTo(2).isEqualTo(viaHttp.exitCode());
            assertThat(viaStore.getMessage()).isEqualTo(viaHttp.getMessage())
                    .startsWith("list failed: HTTP 400 — 'DONE' is not a task status");
        }

        private CliException refusal(TaskBackend backend, ListQuery q) {
            try {
                backend.list(q);
            } catch (CliException e) {
                return e;
            }
            throw new AssertionError(backend.describe() + " accepted " + q);
        }
    }

    @Nested
    class A_store_without_listing {
        @Test
        void answers_the_501_as_one_line_with_exit_5() {
            ServiceTaskBackend none = new ServiceTaskBackend("stage staging", system.service(),
                    new TaskLists(null, "dynamodb", Duration.ofHours(1), Clock.systemUTC()), List.of());

            assertThatThrownBy(() -> none.list(query(List.of(), null, null)))
                    .isInstanceOfSatisfying(CliException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(5);
                        assertThat(e.getMessage()).isEqualTo("list failed: HTTP 501 — listing is not available on the "
                                + "dynamodb store in this build; the task routes work as usual");
                    });
            assertThatThrownBy(() -> none.stats(null)).isInstanceOfSatisfying(CliException.class,
                    e -> assertThat(e.getMessage()).startsWith("stats failed: HTTP 501"));
        }
    }
}
