package dev.longtasks.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.reliability.RecordingTaskStore;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Ids that are not UUIDs never reach the store: counted on a real delegating store, not a mock. */
@Label("task ids that are not UUIDs")
class TaskIdRejectionTest {
    private final RecordingTaskStore store = new RecordingTaskStore(MemoryTaskStore.builder().build());
    private final TaskApi api = new TaskApi(new TaskService(store, e -> { }, BuiltInHandlers.all(), Clock.systemUTC(),
            Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES), ApiOptions.defaults());

    @Provide
    Arbitrary<String> notUuids() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().ofMaxLength(80)),
                Tuple.of(2, Arbitraries.of("../x", "..", ".", "a;b", "$(reboot)", "`id`", "%2e%2e", "*", "' OR '1'='1",
                        "00000000000000000000000000000000", "{00000000-0000-0000-0000-000000000000}",
                        "0000000-00000-0000-0000-000000000000", "g0000000-0000-0000-0000-000000000000",
                        "00000000-0000-0000-0000-0000000000000", "00000000_0000_0000_0000_000000000000")),
                Tuple.of(2, Arbitraries.create(() -> UUID.randomUUID().toString())
                        .flatMap(u -> Arbitraries.integers().between(0, 35).map(i -> u.substring(0, i) + "z" + u.substring(i + 1))))
        ).filter(s -> !s.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    @Property(tries = 300)
    @Label("GET and DELETE with a non-UUID id answer 4xx problem+json without a single store call")
    void non_uuid_ids_are_rejected_before_any_store_call(@ForAll("notUuids") String id,
                                                        @ForAll("methods") String method) {
        long before = store.totalCalls();
        HttpResponse res = api.handle(new HttpRequest(method, "/v1/tasks/" + id, Map.of(), Map.of(), new byte[0], "203.0.113.9"));
        assertThat(res.status()).isBetween(400, 499);
        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
        assertThat(store.totalCalls()).as("store calls for id '%s'", id).isEqualTo(before);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "DELETE");
    }

    @Property(tries = 20)
    @Label("a well-formed unknown UUID does reach the store, and answers 404")
    void a_uuid_reaches_the_store(@ForAll("methods") String method) {
        long before = store.totalCalls();
        HttpResponse res = api.handle(new HttpRequest(method, "/v1/tasks/" + UUID.randomUUID(), Map.of(), Map.of(),
                new byte[0], "203.0.113.9"));
        assertThat(res.status()).isEqualTo(404);
        assertThat(store.totalCalls()).isEqualTo(before + 1);
    }
}
