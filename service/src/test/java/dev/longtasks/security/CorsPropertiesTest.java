package dev.longtasks.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.fuzz.HttpFuzz;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * CORS: any http(s) origin may be echoed, nothing else ever is, and credentials are never
 * allowed (a reflected origin plus credentials would let every web site act as the user).
 */
@Label("CORS")
class CorsPropertiesTest {
    private final TaskApi api = new TaskApi(new TaskService(MemoryTaskStore.builder().build(), e -> { },
            BuiltInHandlers.all(), Clock.systemUTC(), Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES),
            ApiOptions.defaults());

    @Provide
    Arbitrary<String> origins() {
        return HttpFuzz.origins();
    }

    @Provide
    Arbitrary<String[]> routes() {
        return Arbitraries.of(
                new String[] {"OPTIONS", "/v1/example/process-task"}, new String[] {"OPTIONS", "/v1/tasks"},
                new String[] {"OPTIONS", "/v1/tasks/0b0c4f8e-31a5-4d8e-9b1e-2f7c0a9d6e11"},
                new String[] {"POST", "/v1/example/process-task"}, new String[] {"POST", "/v1/tasks"},
                new String[] {"GET", "/v1/tasks/0b0c4f8e-31a5-4d8e-9b1e-2f7c0a9d6e11"}, new String[] {"GET", "/v1/tasks/nope"},
                new String[] {"DELETE", "/v1/tasks/0b0c4f8e-31a5-4d8e-9b1e-2f7c0a9d6e11"}, new String[] {"GET", "/v1/health"},
                new String[] {"GET", "/v1/openapi.json"}, new String[] {"GET", "/nowhere"}, new String[] {"PUT", "/v1/tasks"});
    }

    @Property(tries = 300)
    @Label("only http(s) origins are reflected, and never with credentials")
    void cors_never_reflects_other_origins_or_allows_credentials(@ForAll("origins") String origin,
                                                                 @ForAll("routes") String[] route) {
        HttpResponse res = api.handle(new HttpRequest(route[0], route[1], Map.of(
                "Origin", List.of(origin),
                "Access-Control-Request-Method", List.of("POST"),
                "Content-Type", List.of("application/json")), Map.of(),
                "{\"data\":{\"steps\":1,\"step_ms\":0}}".getBytes(StandardCharsets.UTF_8), "203.0.113.9"));

        String allowed = res.header("Access-Control-Allow-Origin");
        String lower = origin.toLowerCase(Locale.ROOT);
        if (allowed != null) {
            assertThat(allowed).isEqualTo(origin);
            assertThat(lower.startsWith("http://") || lower.startsWith("https://")).as("reflected %s", origin).isTrue();
            assertThat(allowed).doesNotContain("\r", "\n", ",", " ");
            assertThat(res.header("Vary")).contains("Origin");
        }
        assertThat(res.header("Access-Control-Allow-Credentials")).isNull();
        res.headers().values().forEach(v -> assertThat(v).doesNotContain("\r", "\n"));
    }

    @Property(tries = 50)
    @Label("a plain https origin is always reflected")
    void an_https_origin_is_reflected(@ForAll("routes") String[] route) {
        HttpResponse res = api.handle(new HttpRequest(route[0], route[1], Map.of("Origin", List.of("https://app.example.com")),
                Map.of(), new byte[0], "203.0.113.9"));
        assertThat(res.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    }
}
