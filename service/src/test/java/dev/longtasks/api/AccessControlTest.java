package dev.longtasks.api;

import static dev.longtasks.api.ApiCalls.json;
import static dev.longtasks.api.TaskApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Who may list: bearer tokens on a self-hosted server, API Gateway's authorizer on Lambda, open on
 * the local stage without a token, off elsewhere. The seed's routes, health and the OpenAPI
 * document stay open unless the scope says all.
 */
class AccessControlTest {
    static final String TOKEN_A = "tok-aaaaaaaaaaaaaaaaaaaaaaaa";
    static final String TOKEN_B = "tok-bbbbbbbbbbbbbbbbbbbbbbbb";
    static final List<String> GUARDED = List.of("/v1/tasks", "/v1/tasks/stats");

    private final MutableClock clock = MutableClock.startingNow();
    private final MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
    private final TaskService service = new TaskService(store, event -> { }, BuiltInHandlers.all(), clock,
            Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);

    private ApiCalls api(String stage, String... envPairs) {
        return ApiCalls.withAccess(service, store, clock, stage, envPairs);
    }

    /** The seed's routes answer as they always did: submit 202, read 200, cancel 200, all without credentials. */
    private static void assertTaskRoutesOpen(ApiCalls calls) {
        HttpResponse submitted = calls.postJson("/v1/example/process-task", "{\"data\":{}}");
        assertThat(submitted.status()).as(submitted.bodyText()).isEqualTo(202);
        assertThat(calls.postJson("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}").status()).isEqualTo(202);
        String id = json(submitted).get("task_id").asText();
        assertThat(calls.get("/v1/tasks/" + id).status()).isEqualTo(200);
        assertThat(calls.call("DELETE", "/v1/tasks/" + id, null).status()).isEqualTo(200);
    }

    private static void assertDocsOpen(ApiCalls calls) {
        assertThat(calls.get("/v1/health").status()).isEqualTo(200);
        assertThat(calls.get("/v1/openapi.json").status()).isEqualTo(200);
        assertThat(calls.get("/v1/docs").status()).isEqualTo(200);
    }

    @Nested
    class Without_any_auth_configured {
        @Test
        void the_local_stage_is_open_so_the_quick_start_needs_no_token() {
            ApiCalls calls = api("local");

            for (String path : GUARDED) {
                assertThat(calls.get(path).status()).as(path).isEqualTo(200);
            }
            assertTaskRoutesOpen(calls);
        }

        @Test
        void any_other_stage_switches_listing_off_with_a_hint_and_leaves_everything_else_open() {
            ApiCalls calls = api("staging");

            for (String path : GUARDED) {
                HttpResponse r = calls.get(path, "Authorization", "Bearer " + TOKEN_A);
                assertProblem(r, 403, "access-not-configured");
                assertThat(json(r).get("detail").asText()).contains("TASKS_API_TOKEN", "--param auth=iam",
                        "docs/http-api.md#access-control");
            }
            assertTaskRoutesOpen(calls);
            assertDocsOpen(calls);
        }
    }

    @Nested
    class With_bearer_tokens {
        @Test
        void no_token_is_401_with_www_authenticate_and_a_hint() {
            ApiCalls calls = api("staging", "TASKS_API_TOKEN", TOKEN_A);

            for (String path : GUARDED) {
                HttpResponse r = calls.get(path);
                assertProblem(r, 401, "auth-required");
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"longtasks\"");
                assertThat(json(r).get("detail").asText()).contains("Authorization: Bearer", "TASKCTL_API_TOKEN");
            }
            assertProblem(calls.get("/v1/tasks", "Authorization", "Basic dXNlcjpwYXNz"), 401, "auth-required");
            assertProblem(calls.get("/v1/tasks", "Authorization", "Bearer "), 401, "auth-required");
        }

        @Test
        void a_wrong_token_is_401_invalid_credentials() {
            ApiCalls calls = api("staging", "TASKS_API_TOKEN", TOKEN_A);

            for (String wrong : List.of(TOKEN_B, TOKEN_A + "x", TOKEN_A.substring(1), TOKEN_A.toUpperCase())) {
                HttpResponse r = calls.get("/v1/tasks", "Authorization", "Bearer " + wrong);
                assertProblem(r, 401, "invalid-credentials");
                assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
                assertThat(r.bodyText()).doesNotContain(wrong).doesNotContain(TOKEN_A);
            }
        }

        @Test
        void the_right_token_is_200_whatever_the_case_of_the_scheme() {
            ApiCalls calls = api("staging", "TASKS_API_TOKEN", TOKEN_A);

            for (String path : GUARDED) {
                assertThat(calls.get(path, "Authorization", "Bearer " + TOKEN_A).status()).as(path).isEqualTo(200);
            }
            assertThat(calls.get("/v1/tasks", "Authorization", "bearer  " + TOKEN_A).status()).isEqualTo(200);
        }

        @Test
        void during_a_rotation_both_tokens_work_and_afterwards_the_rotated_out_one_is_401() {
            ApiCalls during = api("staging", "TASKS_API_TOKEN", TOKEN_A + ", " + TOKEN_B);
            ApiCalls after = api("staging", "TASKS_API_TOKEN", TOKEN_B);

            assertThat(during.get("/v1/tasks", "Authorization", "Bearer " + TOKEN_A).status()).isEqualTo(200);
            assertThat(during.get("/v1/tasks", "Authorization", "Bearer " + TOKEN_B).status()).isEqualTo(200);
            assertProblem(after.get("/v1/tasks", "Authorization", "Bearer " + TOKEN_A), 401, "invalid-credentials");
            assertThat(after.get("/v1/tasks", "Authorization", "Bearer " + TOKEN_B).status()).isEqualTo(200);
        }

        @Test
        void a_token_set_on_the_local_stage_is_required_there_too() {
            ApiCalls calls = api("local", "TASKS_API_TOKEN", TOKEN_A);

            assertProblem(calls.get("/v1/tasks"), 401, "auth-required");
            assertThat(calls.get("/v1/tasks", "Authorization", "Bearer " + TOKEN_A).status()).isEqualTo(200);
        }

        @Test
        void the_seed_routes_health_and_the_openapi_document_stay_open() {
            ApiCalls calls = api("staging", "TASKS_API_TOKEN", TOKEN_A);

            assertTaskRoutesOpen(calls);
            assertDocsOpen(calls);
        }

        @Test
        void with_the_scope_all_the_seed_routes_need_the_token_too_but_health_and_docs_do_not() {
            ApiCalls calls = api("staging", "TASKS_API_TOKEN", TOKEN_A, "TASKS_API_AUTH_SCOPE", "all");

            assertProblem(calls.postJson("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}"), 401, "auth-required");
            assertProblem(calls.postJson("/v1/example/process-task", "{\"data\":{}}"), 401, "auth-required");
            assertProblem(calls.get("/v1/tasks/" + UUID.randomUUID()), 401, "auth-required");
            assertProblem(calls.call("DELETE", "/v1/tasks/" + UUID.randomUUID(), null), 401, "auth-required");
            assertThat(calls.postJson("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}", "Authorization", "Bearer " + TOKEN_A)
                    .status()).isEqualTo(202);
            assertDocsOpen(calls);
        }

        @Test
        void a_preflight_needs_no_token_and_allows_the_authorization_header() {
            ApiCalls calls = api("staging", "TASKS_API_TOKEN", TOKEN_A);

            HttpResponse r = calls.call("OPTIONS", "/v1/tasks", null, "Origin", "https://ops.example.com",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");

            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Access-Control-Allow-Headers")).contains("Authorization");
            assertThat(r.header("Access-Control-Allow-Methods")).contains("GET");
        }
    }

    @Nested
    class Behind_api_gateway {
        private HttpResponse list(ApiCalls calls, Principal principal) {
            return calls.handle(ApiCalls.request("GET", "/v1/tasks", null, principal));
        }

        @Test
        void a_request_the_iam_authorizer_passed_is_served_and_one_without_it_is_401() {
            ApiCalls calls = api("staging", "TASKS_API_AUTH", "iam");

            assertThat(list(calls, new Principal(GatewayAuthorizer.IAM, "arn:aws:iam::123456789012:user/ops")).status())
                    .isEqualTo(200);
            HttpResponse without = list(calls, null);
            assertProblem(without, 401, "auth-required");
            assertThat(json(without).get("detail").asText()).contains("SigV4", "--auth iam");
            assertProblem(list(calls, new Principal(GatewayAuthorizer.JWT, "someone")), 401, "auth-required");
            assertProblem(calls.get("/v1/tasks", "Authorization", "Bearer " + TOKEN_A), 401, "auth-required");
            assertTaskRoutesOpen(calls);
        }

        @Test
        void a_request_the_jwt_authorizer_passed_is_served() {
            ApiCalls calls = api("prod", "TASKS_API_AUTH", "JWT");

            assertThat(list(calls, new Principal(GatewayAuthorizer.JWT, "user-1")).status()).isEqualTo(200);
            assertProblem(list(calls, null), 401, "auth-required");
        }
    }

    @Nested
    class Configuration {
        @Test
        void a_short_or_malformed_token_is_refused_without_showing_it() {
            for (String bad : List.of("short", TOKEN_A + ",tiny", "has spaces in the middle of it", "semi;colon;aaaaaaaaaaaaaaaa")) {
                assertThatThrownBy(() -> AccessControl.fromEnv("staging", Map.of("TASKS_API_TOKEN", bad)))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageStartingWith("TASKS_API_TOKEN: token ")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad).doesNotContain("tiny"));
            }
            assertThatThrownBy(() -> AccessControl.fromEnv("staging", Map.of("TASKS_API_TOKEN", " , ,")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("no token");
        }

        @Test
        void settings_that_contradict_each_other_or_are_unknown_stop_the_start() {
            assertThatThrownBy(() -> AccessControl.fromEnv("staging", Map.of("TASKS_API_TOKEN", TOKEN_A, "TASKS_API_AUTH", "iam")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("both set")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN_A));
            assertThatThrownBy(() -> AccessControl.fromEnv("staging", Map.of("TASKS_API_AUTH", "cognito")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("use none, iam or jwt");
            assertThatThrownBy(() -> AccessControl.fromEnv("staging", Map.of("TASKS_API_AUTH_SCOPE", "all")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs an authentication");
            assertThatThrownBy(() -> AccessControl.fromEnv("local", Map.of("TASKS_API_AUTH_SCOPE", "all")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("needs an authentication");
            assertThatThrownBy(() -> AccessControl.fromEnv("staging", Map.of("TASKS_API_TOKEN", TOKEN_A, "TASKS_API_AUTH_SCOPE", "most")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("use listing or all");
        }

        @Test
        void the_start_up_line_says_how_listing_is_guarded_and_never_shows_a_token() {
            String tokens = AccessControl.fromEnv("staging", Map.of("TASKS_API_TOKEN", TOKEN_A + "," + TOKEN_B)).describe();

            assertThat(tokens).contains("bearer token (2 accepted)", "task routes open").doesNotContain(TOKEN_A, TOKEN_B);
            assertThat(AccessControl.fromEnv("local", Map.of()).describe()).contains("open");
            assertThat(AccessControl.fromEnv("prod", Map.of()).describe()).contains("off");
            assertThat(AccessControl.fromEnv("prod", Map.of("TASKS_API_AUTH", "iam", "TASKS_API_AUTH_SCOPE", "all")).describe())
                    .contains("API Gateway iam authorizer", "task routes too");
        }
    }
}
