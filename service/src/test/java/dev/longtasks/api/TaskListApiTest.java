package dev.longtasks.api;

import static dev.longtasks.api.ApiCalls.json;
import static dev.longtasks.api.TaskApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/tasks} and {@code GET /v1/tasks/stats} over the memory store, on the open local stage. */
class TaskListApiTest {
    private final MutableClock clock = MutableClock.startingNow();
    private final MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
    private final TaskService service = new TaskService(store, event -> { }, BuiltInHandlers.all(), clock,
            Duration.ofHours(1), "local", TaskService.DEFAULT_MAX_INPUT_BYTES);
    private final ApiCalls calls = new ApiCalls(TaskApi.builder(service).listing(store, "memory").clock(clock).build());

    private Task create(String type) {
        Task t = Task.pending(UUID.randomUUID().toString(), type, "{\"n\":1}", clock.instant(), 3600);
        store.create(t);
        return t;
    }

    /** {@code n} tasks a second apart, oldest first; the clock ends a second after the last. */
    private List<Task> createSpaced(int n, String type) {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(create(type));
            clock.advance(Duration.ofSeconds(1));
        }
        return out;
    }

    private JsonNode ok(String pathAndQuery) {
        HttpResponse r = calls.get(pathAndQuery);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        return json(r);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("tasks").forEach(t -> ids.add(t.get("task_id").asText()));
        return ids;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertBadParameter(HttpResponse r, String slug, String parameter) {
        assertProblem(r, 400, slug);
        assertThat(json(r).get("parameter").asText()).isEqualTo(parameter);
    }

    @Nested
    class Listing {
        @Test
        void pages_of_task_views_come_newest_first_and_the_cursor_reaches_every_task_once() {
            List<Task> tasks = createSpaced(120, "example");
            List<String> expected = new ArrayList<>(tasks.stream().map(Task::taskId).toList()).reversed();

            JsonNode first = ok("/v1/tasks?limit=50");
            JsonNode second = ok("/v1/tasks?limit=50&cursor=" + enc(first.get("next_cursor").asText()));
            JsonNode third = ok("/v1/tasks?limit=50&cursor=" + enc(second.get("next_cursor").asText()));

            List<String> all = new ArrayList<>(ids(first));
            all.addAll(ids(second));
            all.addAll(ids(third));
            assertThat(all).containsExactlyElementsOf(expected);
            assertThat(ids(third)).hasSize(20);
            assertThat(third.get("next_cursor").isNull()).isTrue();
            String id = ids(first).getFirst();
            assertThat(first.get("tasks").get(0)).isEqualTo(json(calls.get("/v1/tasks/" + id)));
        }

        @Test
        void the_default_page_holds_50_tasks_of_the_ttl_window() {
            createSpaced(60, "example");

            JsonNode page = ok("/v1/tasks");

            assertThat(ids(page)).hasSize(50);
            assertThat(page.get("next_cursor").isTextual()).isTrue();
            assertThat(page.get("since").asText()).isEqualTo(clock.instant().minus(Duration.ofHours(1)).toString());
        }

        @Test
        void status_and_type_filters_are_comma_separated_and_ignore_case() {
            List<Task> examples = createSpaced(6, "example");
            List<Task> noops = createSpaced(3, "noop");
            store.claim(examples.get(1).taskId(), 30_000);
            store.cancel(examples.get(2).taskId());
            store.claim(noops.get(0).taskId(), 30_000);
            Task failed = store.claim(examples.get(4).taskId(), 30_000).orElseThrow();
            store.finish(failed.taskId(), failed.attempt(), TaskStatus.FAILED, null, new TaskError("Boom", "on purpose"));

            assertThat(ids(ok("/v1/tasks?status=running,Cancelled&type=example")))
                    .containsExactly(examples.get(2).taskId(), examples.get(1).taskId());
            assertThat(ids(ok("/v1/tasks?status=RUNNING&status=failed")))
                    .containsExactly(noops.get(0).taskId(), examples.get(4).taskId(), examples.get(1).taskId());
            assertThat(ids(ok("/v1/tasks?type=noop,nothing-such"))).hasSize(3);
        }

        @Test
        void since_is_a_duration_back_from_now_or_an_instant_and_is_inclusive() {
            Task old = create("example");
            clock.advance(Duration.ofMinutes(20));
            Task mid = create("example");
            clock.advance(Duration.ofMinutes(9));
            Task recent = create("example");
            clock.advance(Duration.ofMinutes(1));

            assertThat(ids(ok("/v1/tasks?since=15m"))).containsExactly(recent.taskId(), mid.taskId());
            assertThat(ids(ok("/v1/tasks?since=PT5M"))).containsExactly(recent.taskId());
            assertThat(ids(ok("/v1/tasks?since=1h"))).containsExactly(recent.taskId(), mid.taskId(), old.taskId());
            assertThat(ids(ok("/v1/tasks?since=" + mid.createdAt()))).containsExactly(recent.taskId(), mid.taskId());
            String withOffset = mid.createdAt().atOffset(ZoneOffset.ofHours(2)).toString();
            assertThat(ids(ok("/v1/tasks?since=" + enc(withOffset)))).containsExactly(recent.taskId(), mid.taskId());
        }

        @Test
        void a_since_older_than_the_window_is_clamped_to_its_start() {
            String windowStart = clock.instant().minus(Duration.ofHours(1)).toString();

            assertThat(ok("/v1/tasks?since=3h").get("since").asText()).isEqualTo(windowStart);
            assertThat(ok("/v1/tasks?since=2000-01-01T00:00:00Z").get("since").asText()).isEqualTo(windowStart);
            assertThat(ok("/v1/tasks?since=1h30m").get("since").asText()).isEqualTo(windowStart);
        }

        @Test
        void a_relative_since_stays_where_the_first_page_put_it() {
            clock.advance(Duration.ofMinutes(1));
            List<Task> tasks = createSpaced(10, "example");
            clock.advance(Duration.ofMinutes(8)); // the oldest is now 9 min 10 s old

            JsonNode first = ok("/v1/tasks?since=10m&limit=5");
            clock.advance(Duration.ofMinutes(2)); // all ten are older than 10 min now
            JsonNode second = ok("/v1/tasks?since=10m&limit=5&cursor=" + enc(first.get("next_cursor").asText()));

            assertThat(second.get("since")).isEqualTo(first.get("since"));
            assertThat(ids(second)).containsExactlyElementsOf(
                    tasks.subList(0, 5).stream().map(Task::taskId).toList().reversed());
        }

        @Test
        void a_limit_of_1_and_of_500_are_allowed() {
            createSpaced(3, "example");

            assertThat(ids(ok("/v1/tasks?limit=1"))).hasSize(1);
            assertThat(ids(ok("/v1/tasks?limit=500"))).hasSize(3);
        }

        @Test
        void stats_is_its_own_route_and_not_a_task_id() {
            assertThat(calls.get("/v1/tasks/stats").status()).isEqualTo(200);
            HttpResponse r = calls.call("PUT", "/v1/tasks", null);
            assertProblem(r, 405, "method-not-allowed");
            assertThat(r.header("Allow")).isEqualTo("POST, GET, OPTIONS");
        }
    }

    @Nested
    class Stats {
        @Test
        void counts_by_status_and_type_and_names_the_oldest_pending_task_whatever_since_says() {
            Task waiting = create("noop");
            clock.advance(Duration.ofMinutes(50));
            List<Task> examples = createSpaced(3, "example");
            List<Task> noops = createSpaced(2, "noop");
            store.claim(examples.get(0).taskId(), 30_000);
            store.cancel(examples.get(1).taskId());
            Task done = store.claim(noops.get(0).taskId(), 30_000).orElseThrow();
            store.finish(done.taskId(), done.attempt(), TaskStatus.SUCCEEDED, "{}", null);

            JsonNode stats = ok("/v1/tasks/stats?since=30m");

            assertThat(stats.get("since").asText()).isEqualTo(clock.instant().minus(Duration.ofMinutes(30)).toString());
            assertThat(stats.get("as_of").asText()).isEqualTo(clock.instant().toString());
            assertThat(stats.get("total").asLong()).isEqualTo(5);
            assertThat(stats.get("by_status")).isEqualTo(parse(
                    "{\"PENDING\":2,\"RUNNING\":1,\"SUCCEEDED\":1,\"FAILED\":0,\"CANCELLED\":1}"));
            assertThat(stats.get("by_type")).isEqualTo(parse("{"
                    + "\"example\":{\"total\":3,\"by_status\":{\"PENDING\":1,\"RUNNING\":1,\"SUCCEEDED\":0,\"FAILED\":0,\"CANCELLED\":1}},"
                    + "\"noop\":{\"total\":2,\"by_status\":{\"PENDING\":1,\"RUNNING\":0,\"SUCCEEDED\":1,\"FAILED\":0,\"CANCELLED\":0}}}"));
            JsonNode oldest = stats.get("oldest_pending");
            assertThat(oldest.get("task_id").asText()).isEqualTo(waiting.taskId());
            assertThat(oldest.get("task_type").asText()).isEqualTo("noop");
            assertThat(oldest.get("created_at").asText()).isEqualTo(waiting.createdAt().toString());
            assertThat(oldest.get("age_seconds").asLong()).isEqualTo(50 * 60 + 5);
        }

        @Test
        void with_nothing_pending_oldest_pending_is_null_and_every_count_is_zero() {
            JsonNode stats = ok("/v1/tasks/stats");

            assertThat(stats.get("oldest_pending").isNull()).isTrue();
            assertThat(stats.get("total").asLong()).isZero();
            assertThat(stats.get("by_status").size()).isEqualTo(TaskStatus.values().length);
            assertThat(stats.get("by_type").isEmpty()).isTrue();
        }
    }

    @Nested
    class Bad_parameters {
        @Test
        void an_unknown_status_or_an_empty_item_is_invalid_status() {
            HttpResponse r = calls.get("/v1/tasks?status=DONE");
            assertBadParameter(r, "invalid-status", "status");
            assertThat(json(r).get("detail").asText()).contains("PENDING,RUNNING,SUCCEEDED,FAILED,CANCELLED");
            assertBadParameter(calls.get("/v1/tasks?status="), "invalid-status", "status");
            assertBadParameter(calls.get("/v1/tasks?status=RUNNING,,FAILED"), "invalid-status", "status");
        }

        @Test
        void a_type_with_spaces_or_an_empty_item_is_invalid_type() {
            assertBadParameter(calls.get("/v1/tasks?type=" + enc("a b")), "invalid-type", "type");
            assertBadParameter(calls.get("/v1/tasks?type=example,"), "invalid-type", "type");
            assertBadParameter(calls.get("/v1/tasks?type=" + "x".repeat(129)), "invalid-type", "type");
        }

        @Test
        void a_since_that_is_no_duration_or_instant_zero_or_in_the_future_is_invalid_since() {
            for (String since : List.of("yesterday", "0s", "15", "-5m", "2025-13-01T00:00:00Z", "P", "")) {
                assertBadParameter(calls.get("/v1/tasks?since=" + enc(since)), "invalid-since", "since");
            }
            HttpResponse future = calls.get("/v1/tasks?since=" + clock.instant().plusSeconds(60));
            assertBadParameter(future, "invalid-since", "since");
            assertThat(json(future).get("detail").asText()).contains("in the future");
            assertBadParameter(calls.get("/v1/tasks/stats?since=soon"), "invalid-since", "since");
        }

        @Test
        void a_limit_outside_1_to_500_or_given_twice_is_invalid_limit() {
            for (String limit : List.of("0", "501", "-1", "ten", "1.5", "99999999999")) {
                assertBadParameter(calls.get("/v1/tasks?limit=" + limit), "invalid-limit", "limit");
            }
            assertBadParameter(calls.get("/v1/tasks?limit=5&limit=6"), "invalid-limit", "limit");
        }

        @Test
        void a_malformed_cursor_is_invalid_cursor() {
            String wellFormedButForeign = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("v1:1:0:" + UUID.randomUUID() + ":1:0:not-a-digest").getBytes(StandardCharsets.UTF_8));
            for (String cursor : List.of("garbage", "%%%", wellFormedButForeign, "A".repeat(600),
                    Base64.getUrlEncoder().encodeToString("v2:1:0:x:1:0:0123456789abcdef".getBytes(StandardCharsets.UTF_8)))) {
                assertBadParameter(calls.get("/v1/tasks?cursor=" + enc(cursor)), "invalid-cursor", "cursor");
            }
        }

        @Test
        void a_cursor_used_with_other_filters_is_invalid_cursor() {
            createSpaced(5, "example");
            String cursor = enc(ok("/v1/tasks?status=PENDING&since=30m&limit=2").get("next_cursor").asText());

            assertThat(ok("/v1/tasks?status=pending&since=30m&limit=3&cursor=" + cursor).get("tasks")).hasSize(3);
            for (String other : List.of("status=FAILED&since=30m", "status=PENDING&since=31m", "status=PENDING",
                    "status=PENDING&since=30m&type=example", "since=30m")) {
                HttpResponse r = calls.get("/v1/tasks?" + other + "&cursor=" + cursor);
                assertBadParameter(r, "invalid-cursor", "cursor");
                assertThat(json(r).get("detail").asText()).contains("other filters");
            }
        }

        @Test
        void an_unknown_parameter_is_refused_by_name() {
            HttpResponse r = calls.get("/v1/tasks?statuss=RUNNING");
            assertBadParameter(r, "unknown-parameter", "statuss");
            assertThat(json(r).get("detail").asText()).contains("cursor, limit, since, status, type");
            assertBadParameter(calls.get("/v1/tasks/stats?limit=5"), "unknown-parameter", "limit");
        }
    }

    @Nested
    class Without_a_listing {
        @Test
        void both_routes_answer_501_naming_the_store() {
            ApiCalls none = new ApiCalls(TaskApi.builder(service).listing(null, "redis").build());

            for (String path : List.of("/v1/tasks", "/v1/tasks/stats")) {
                HttpResponse r = none.get(path);
                assertProblem(r, 501, "listing-not-available");
                assertThat(json(r).get("detail").asText()).startsWith("listing is not available on the redis store in this build");
            }
            assertThat(none.postJson("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}").status()).isEqualTo(202);
        }
    }

    private static JsonNode parse(String text) {
        return Json.read(text);
    }
}
