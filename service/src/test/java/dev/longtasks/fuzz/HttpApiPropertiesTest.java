package dev.longtasks.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.reliability.RecordingTaskStore;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskHandler;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.CountingHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The HTTP core (TaskApi over the memory store) under hostile requests. No fault is injected,
 * so no answer may be a 5xx; errors are problem+json without internals, and a rejected request
 * leaves the store exactly as it was.
 */
@Label("HTTP core under hostile requests")
class HttpApiPropertiesTest {
    private static final FuzzStats STATS = new FuzzStats("http-core");
    private static RecordingTaskStore store;
    private static TaskApi api;

    @BeforeContainer
    static void start() throws Exception {
        MemoryTaskStore memory = MemoryTaskStore.builder().maxTasks(5_000_000).build();
        store = new RecordingTaskStore(memory);
        List<TaskHandler> handlers = new ArrayList<>();
        BuiltInHandlers.all().types().forEach(t -> handlers.add(BuiltInHandlers.all().find(t).orElseThrow()));
        handlers.add(CountingHandler.instant());
        TaskService service = new TaskService(store, event -> { }, TaskHandlers.of(handlers), Clock.systemUTC(),
                Duration.ofHours(1), "fuzz", TaskService.DEFAULT_MAX_INPUT_BYTES);
        // The list and stats routes read the memory store itself: the recorder only sees writes.
        api = TaskApi.builder(service).options(ApiOptions.defaults()).listing(memory, "memory").build();
        // Some real tasks and a bound key, so ids and replays hit existing records too.
        for (int i = 0; i < 3; i++) {
            service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), i == 0 ? "same-key" : null);
        }
    }

    @AfterContainer
    static void report() {
        STATS.write();
    }

    @Provide
    Arbitrary<HttpFuzz.Req> requests() {
        return HttpFuzz.requests();
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    @Label("never a 5xx, never internals, always problem+json for errors, and a rejected request changes nothing")
    void hostile_requests_are_answered_safely(@ForAll("requests") HttpFuzz.Req req) {
        long mutationsBefore = store.mutations();
        Map<String, Object> before = store.createdIds().size() < 300 ? store.snapshot() : null;

        HttpResponse res = api.handle(new HttpRequest(req.method(), req.path(), req.headers(), req.query(), req.body(), "198.51.100.7"));
        STATS.record(req.bodyKind(), res.status());

        String body = ResponseChecks.bodyText(res.body(), res.header("Content-Encoding"));
        ResponseChecks.check(res.status(), res.header("Content-Type"), body, requestText(req));
        if (res.status() >= 400) {
            assertThat(store.mutations()).as("a rejected request wrote to the store").isEqualTo(mutationsBefore);
            if (before != null) {
                assertThat(store.snapshot()).isEqualTo(before);
            }
        }
        assertThat(res.header("Access-Control-Allow-Credentials")).isNull();
    }

    static String requestText(HttpFuzz.Req req) {
        return req.method() + " " + req.path() + " " + req.headers() + " " + req.query() + " "
                + new String(req.body(), StandardCharsets.ISO_8859_1) + " " + new String(req.body(), StandardCharsets.UTF_8);
    }
}
