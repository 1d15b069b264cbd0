package dev.longtasks.api;

import static dev.longtasks.api.ApiCalls.gunzip;
import static dev.longtasks.api.TaskApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files at /v1/ui: what the browser gets (security headers, hashed links, gzip),
 * what the page's script must never do, and who may fetch the files.
 */
class DashboardRoutesTest {
    private static final List<String> FILES = List.of("/v1/ui", "/v1/ui/app.js", "/v1/ui/app.css", "/v1/ui/favicon.svg");

    private final MutableClock clock = MutableClock.startingNow();
    private final MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
    private final TaskService service = new TaskService(store, event -> { }, BuiltInHandlers.all(), clock,
            Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);

    private ApiCalls api(String stage, String... envPairs) {
        return ApiCalls.withAccess(service, store, clock, stage, envPairs);
    }

    private final ApiCalls local = api("local");

    @Nested
    class The_page {
        private final HttpResponse page = local.get("/v1/ui");
        private final String html = page.bodyText();

        @Test
        void is_html_with_a_strict_content_security_policy_and_the_other_security_headers() {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            String csp = page.header("Content-Security-Policy");
            assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                    "frame-ancestors 'none'", "base-uri 'none'");
            assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        }

        @Test
        void has_no_inline_script_no_inline_handler_and_no_inline_style() {
            assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find()).as("a script without src").isFalse();
            assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                    .as("an inline event handler").isFalse();
            assertThat(html).doesNotContain("style=", "<style", "javascript:", "http://", "https://");
        }

        @Test
        void links_each_file_by_the_digest_of_its_content_so_a_cached_copy_never_goes_stale() throws Exception {
            assertThat(html).doesNotContain("{{");
            for (String name : DashboardRoutes.ASSETS) {
                Matcher m = Pattern.compile("ui/" + Pattern.quote(name) + "\\?v=([0-9a-f]{16})\"").matcher(html);
                assertThat(m.find()).as(name + " is linked with a digest").isTrue();
                byte[] file = local.get("/v1/ui/" + name).body();
                String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file), 0, 8);
                assertThat(m.group(1)).as(name).isEqualTo(digest);
            }
        }

        @Test
        void names_every_form_control_with_a_label() {
            Matcher ids = Pattern.compile("<(?:input|select)[^>]*\\bid=\"([^\"]+)\"").matcher(html);
            int controls = 0;
            while (ids.find()) {
                controls++;
                assertThat(html).as("a label for #" + ids.group(1)).contains("<label for=\"" + ids.group(1) + "\"");
            }
            assertThat(controls).isEqualTo(3);
            assertThat(html).contains("aria-live=\"polite\"", "<html lang=\"en\">", "name=\"viewport\"");
        }
    }

    @Nested
    class The_files {
        @Test
        void carry_their_content_type_a_day_of_caching_and_the_security_headers() {
            Map<String, String> types = Map.of("app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8",
                    "favicon.svg", "image/svg+xml");
            for (String name : DashboardRoutes.ASSETS) {
                HttpResponse r = local.get("/v1/ui/" + name);
                assertThat(r.status()).as(name).isEqualTo(200);
                assertThat(r.header("Content-Type")).as(name).isEqualTo(types.get(name));
                assertThat(r.header("Cache-Control")).as(name).isEqualTo("public, max-age=86400");
                assertThat(r.header("Content-Security-Policy")).as(name).isEqualTo(DashboardRoutes.CONTENT_SECURITY_POLICY);
                assertThat(r.header("X-Content-Type-Options")).as(name).isEqualTo("nosniff");
            }
        }

        @Test
        void are_gzip_compressed_for_a_client_that_accepts_it() {
            HttpResponse plain = local.get("/v1/ui/app.js");
            HttpResponse zipped = local.get("/v1/ui/app.js", "Accept-Encoding", "gzip");

            assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(zipped.body().length).isLessThan(plain.body().length / 2);
            assertThat(gunzip(zipped.body())).isEqualTo(plain.body());
            assertThat(zipped.header("Content-Security-Policy")).isEqualTo(DashboardRoutes.CONTENT_SECURITY_POLICY);
        }

        @Test
        void other_names_are_404_and_never_reach_another_resource() {
            for (String path : List.of("/v1/ui/index.html", "/v1/ui/app.min.js", "/v1/ui/..%2fopenapi.json",
                    "/v1/ui/dashboard%2Fapp.js", "/v1/ui/" + "x".repeat(300))) {
                assertProblem(local.get(path), 404, "not-found");
            }
        }

        @Test
        void the_script_puts_task_data_into_the_page_as_text_only() {
            String js = local.get("/v1/ui/app.js").bodyText();

            assertThat(js).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "setTimeout('", "setTimeout(\"");
            assertThat(js).contains("textContent", "'use strict'");
        }

        @Test
        void the_script_calls_the_api_with_relative_urls_so_a_path_prefix_keeps_working() {
            String js = local.get("/v1/ui/app.js").bodyText();

            assertThat(js).contains("api('GET', 'tasks?'", "api('GET', 'tasks/stats?'", "api('DELETE', 'tasks/'");
            assertThat(js).doesNotContain("'/v1/", "\"/v1/");
        }
    }

    @Nested
    class Access {
        @Test
        void with_tokens_the_files_need_none_while_the_list_they_read_still_does() {
            ApiCalls calls = api("prod", "TASKS_API_TOKEN", AccessControlTest.TOKEN_A);

            for (String path : FILES) {
                assertThat(calls.get(path).status()).as(path).isEqualTo(200);
            }
            assertProblem(calls.get("/v1/tasks"), 401, "auth-required");
            assertThat(calls.get("/v1/tasks", "Authorization", "Bearer " + AccessControlTest.TOKEN_A).status()).isEqualTo(200);
        }

        @Test
        void behind_api_gateways_authorizer_the_files_need_no_principal() {
            for (String mode : List.of("iam", "jwt")) {
                ApiCalls calls = api("prod", "TASKS_API_AUTH", mode);
                for (String path : FILES) {
                    assertThat(calls.get(path).status()).as(mode + " " + path).isEqualTo(200);
                }
                assertProblem(calls.get("/v1/tasks/stats"), 401, "auth-required");
            }
        }

        @Test
        void on_a_stage_without_access_control_the_dashboard_is_off_like_the_routes_it_reads() {
            ApiCalls calls = api("prod");

            for (String path : FILES) {
                HttpResponse r = calls.get(path);
                assertProblem(r, 403, "access-not-configured");
                assertThat(r.header("Content-Security-Policy")).isNull();
            }
            assertThat(calls.get("/v1/docs").status()).isEqualTo(200);
        }

        @Test
        void the_local_stage_without_a_token_serves_it_so_the_quick_start_has_a_dashboard() {
            for (String path : FILES) {
                assertThat(local.get(path).status()).as(path).isEqualTo(200);
            }
            assertThat(new String(local.get("/v1/ui").body(), StandardCharsets.UTF_8)).contains("<title>Tasks");
        }
    }
}
