package dev.longtasks.local;

import static dev.longtasks.local.HttpCalls.json;
import static dev.longtasks.local.LocalServerIntegrationTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.store.RedisKeysAccess;
import dev.longtasks.testing.LocalServices;
import dev.longtasks.testing.Systems;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The list and stats routes through the real local server, as the environment configures them. */
class ListingOverHttpTest {
    static final String TOKEN = "ops-" + UUID.randomUUID();

    private static LocalMain.Running start(Map<String, String> env) throws IOException {
        return LocalMain.start(ServiceSettings.fromEnv(env), env);
    }

    @Nested
    class The_local_stage {
        @Test
        void lists_without_a_token_so_the_quick_start_works_as_it_is() throws IOException {
            Map<String, String> env = Systems.env("API_STAGE", "local", "PORT", "0", "TASKS_WORKERS", "2");
            LocalMain.Running running = start(env);
            try {
                HttpCalls http = new HttpCalls(running.port());
                String id = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":1,\"step_ms\":0}}");

                JsonNode page = json(http.get("/v1/tasks?type=example"));
                JsonNode stats = json(http.get("/v1/tasks/stats"));

                assertThat(page.get("tasks").get(0).get("task_id").asText()).isEqualTo(id);
                assertThat(stats.get("by_type").get("example").get("total").asLong()).isEqualTo(1);
            } finally {
                running.stop(Duration.ZERO);
            }
        }
    }

    @Nested
    class A_self_hosted_server {
        @Test
        void with_a_token_answers_401_without_it_and_200_with_it_and_keeps_the_task_routes_open() throws IOException {
            Map<String, String> env = Systems.env("API_STAGE", "selfhosted", "PORT", "0", "TASKS_API_TOKEN", TOKEN);
            LocalMain.Running running = start(env);
            try {
                HttpCalls http = new HttpCalls(running.port());

                HttpResponse<byte[]> none = http.get("/v1/tasks");
                assertProblem(none, 401, "auth-required");
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"longtasks\"");
                assertProblem(http.get("/v1/tasks", "Authorization", "Bearer " + TOKEN + "x"), 401, "invalid-credentials");
                assertThat(http.get("/v1/tasks/stats", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
                String id = http.submit("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}");
                assertThat(http.task(id).get("task_id").asText()).isEqualTo(id);
                assertThat(http.get("/v1/health").statusCode()).isEqualTo(200);
            } finally {
                running.stop(Duration.ZERO);
            }
        }

        @Test
        void without_a_token_switches_listing_off() throws IOException {
            Map<String, String> env = Systems.env("API_STAGE", "selfhosted", "PORT", "0");
            LocalMain.Running running = start(env);
            try {
                HttpResponse<byte[]> r = new HttpCalls(running.port()).get("/v1/tasks");

                assertProblem(r, 403, "access-not-configured");
                assertThat(json(r).get("detail").asText()).contains("TASKS_API_TOKEN");
            } finally {
                running.stop(Duration.ZERO);
            }
        }

        @Test
        void on_redis_lists_and_counts_the_tasks_from_the_redis_index() throws IOException {
            LocalServices.requireRedis();
            String prefix = "longtasks-test-" + UUID.randomUUID() + ":";
            Map<String, String> env = Systems.env("API_STAGE", "local", "PORT", "0", "TASKS_STORE", "redis",
                    "REDIS_URL", LocalServices.redisUrl(), "TASKS_REDIS_PREFIX", prefix, "TASKS_WORKERS", "1");
            LocalMain.Running running = start(env);
            try {
                HttpCalls http = new HttpCalls(running.port());
                String noop = http.submit("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}");
                String example = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":1,\"step_ms\":0}}");

                JsonNode all = json(http.get("/v1/tasks"));
                JsonNode noops = json(http.get("/v1/tasks?type=noop"));
                JsonNode stats = json(http.get("/v1/tasks/stats"));

                assertThat(all.get("tasks")).hasSize(2);
                assertThat(all.get("tasks").get(0).get("task_id").asText()).isEqualTo(example);
                assertThat(noops.get("tasks")).singleElement().satisfies(t -> assertThat(t.get("task_id").asText()).isEqualTo(noop));
                assertThat(stats.get("by_type").get("noop").get("total").asLong()).isEqualTo(1);
                assertThat(stats.get("by_type").get("example").get("total").asLong()).isEqualTo(1);
            } finally {
                running.stop(Duration.ZERO);
                RedisKeysAccess.deleteAll(LocalServices.redisUrl(), prefix);
            }
        }

        @Test
        void refuses_to_start_with_a_malformed_token_and_does_not_print_it() {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String bad = "too short";

            int code = LocalMain.run(Systems.env("PORT", "0", "TASKS_API_TOKEN", bad), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(code).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: TASKS_API_TOKEN: token 1 of 1").doesNotContain(bad);
        }
    }
}
