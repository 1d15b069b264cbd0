package dev.longtasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a release promises, checked through the real taskctl CommandLine against the real local
 * service: one version everywhere, and the worked-example task type (http-check) end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseChecksTest {
    LocalService service;

    @BeforeAll
    void start() {
        service = new LocalService();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    /** The parent pom's own {@code <version>}: the one version of the build. */
    static String pomVersion() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("pom.xml")) || !Files.readString(dir.resolve("pom.xml")).contains("<modules>")) {
            dir = dir.getParent();
        }
        Matcher m = Pattern.compile("(?m)^  <version>([^<]+)</version>").matcher(Files.readString(dir.resolve("pom.xml")));
        assertThat(m.find()).as("the parent pom has a <version>").isTrue();
        return m.group(1);
    }

    @Nested
    class The_version {
        @Test
        void taskctl_version_and_the_health_body_agree_with_the_parent_pom() throws Exception {
            var cli = CliRun.run("--version");
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.url() + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(cli.code()).isZero();
            assertThat(health.statusCode()).isEqualTo(200);
            String fromCli = cli.out().strip().substring("taskctl ".length());
            String fromHealth = Json.read(health.body()).get("version").asText();
            assertThat(fromCli).isEqualTo(fromHealth).isEqualTo(pomVersion());
        }
    }

    @Nested
    class The_http_check_task_type {
        @Test
        void submitted_with_wait_ends_succeeded_with_its_result_on_stdout() {
            String data = "{\"url\":\"" + service.url() + "/v1/health\",\"probes\":3,\"interval_ms\":50}";
            var r = CliRun.run(Map.of(), "", "submit", "--api-url", service.url(), "--type", "http-check",
                    "--data", data, "--wait", "-o", "json");

            assertThat(r.code()).as(r.err()).isZero();
            String[] lines = r.outLines();
            JsonNode record = Json.read(String.join("\n", Arrays.copyOfRange(lines, 1, lines.length)));
            assertThat(record.get("task_type").asText()).isEqualTo("http-check");
            assertThat(record.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(record.at("/result/status_codes").toString()).isEqualTo("{\"200\":3}");
            assertThat(record.at("/result/all_healthy").asBoolean()).isTrue();
        }

        @Test
        void an_unhealthy_check_with_require_healthy_exits_1() {
            String data = "{\"url\":\"" + service.url() + "/v1/nope\",\"probes\":1,\"require_healthy\":true}";
            var r = CliRun.run(Map.of(), "", "submit", "--api-url", service.url(), "-t", "http-check",
                    "--data", data, "--wait", "-o", "json");

            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("\"FAILED\"", "HttpCheckFailedException", "0 of 1 probes healthy (404 x1)");
        }

        @Test
        void bad_input_exits_2_with_the_service_message_and_nothing_is_stored() {
            int before = service.taskCount();
            var r = CliRun.run(Map.of(), "", "submit", "--api-url", service.url(), "-t", "http-check",
                    "--data", "{\"url\":\"ftp://example.com\"}");

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("'data.url' must use http or https, not 'ftp'");
            assertThat(service.taskCount()).isEqualTo(before);
        }
    }
}
