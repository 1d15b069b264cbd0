package dev.longtasks.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.LocalService;
import dev.longtasks.cli.fakes.ExpiredTokenFake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * taskctl under hostile input: each case must give exactly one line on stderr (no stack trace,
 * no second line), nothing on stdout, the documented exit code (2 usage/input, 3 not found,
 * 5 configuration/AWS), and must send nothing when the input is bad.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    static final String UNKNOWN = "3f1c9e0a-1111-4111-8111-111111111111";
    LocalService service;
    String url;
    /** A port nothing listens on: if taskctl tried to reach it, it would exit 5, not 2. */
    String deadUrl;

    @BeforeAll
    void start() throws IOException {
        service = new LocalService();
        url = service.url();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadUrl = "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @AfterAll
    void stop() {
        service.close();
    }

    static CliRun.Result taskctl(String stdin, String... args) {
        return CliRun.run(Map.of(), stdin, args);
    }

    static void assertOneLine(CliRun.Result r, int code) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(code);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err()).as("stderr is exactly one line").startsWith("taskctl: ").endsWith("\n");
        assertThat(r.err().strip()).as("stderr is exactly one line").doesNotContain("\n");
        // AWS error codes such as ExpiredTokenException help the operator; Java class names do not.
        assertThat(r.err()).doesNotContain("\tat ", "dev.longtasks.", "java.", "software.amazon.", "picocli.");
    }

    @Nested
    class Files_that_cannot_be_read {
        @Test
        void a_missing_file_is_exit_2() {
            assertOneLine(taskctl("", "submit", "--api-url", deadUrl, "no/such/file.json"), 2);
        }

        /*
         * The tests run as root, for whom chmod 000 still reads fine; these are the unreadable
         * files root cannot read either: a directory, and a path that runs through a regular file.
         */
        @Test
        void a_directory_is_exit_2(@TempDir Path dir) {
            CliRun.Result r = taskctl("", "submit", "--api-url", deadUrl, dir.toString());
            assertOneLine(r, 2);
            assertThat(r.err()).contains("is a directory");
        }

        @Test
        void a_path_through_a_regular_file_is_exit_2(@TempDir Path dir) throws IOException {
            Path file = Files.writeString(dir.resolve("data.json"), "{}");
            assertOneLine(taskctl("", "submit", "--api-url", deadUrl, file.resolve("inner.json").toString()), 2);
        }

        @Test
        void a_file_that_is_not_utf8_is_exit_2(@TempDir Path dir) throws IOException {
            Path file = Files.write(dir.resolve("latin1.json"), "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
            assertOneLine(taskctl("", "submit", "--api-url", deadUrl, file.toString()), 2);
        }
    }

    @Nested
    class Bad_data {
        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"steps\":}", "[1,2", "nul", "{\"a\":1}}", "\"unterminated", "{'single':1}"})
        void invalid_json_in_data_is_exit_2_and_nothing_is_sent(String data) {
            assertOneLine(taskctl("", "submit", "--api-url", deadUrl, "--data", data), 2);
        }

        @Test
        void invalid_json_on_stdin_is_exit_2() {
            assertOneLine(taskctl("{\"steps\": 2,\n", "submit", "--api-url", deadUrl, "-"), 2);
        }

        @Test
        void an_empty_stdin_is_exit_2() {
            CliRun.Result r = taskctl("", "submit", "--api-url", deadUrl, "-");
            assertOneLine(r, 2);
            assertThat(r.err()).contains("empty");
        }

        @Test
        void a_blank_stdin_is_exit_2() {
            assertOneLine(taskctl(" \n\t\n", "submit", "--api-url", deadUrl, "-"), 2);
        }

        @Test
        void an_empty_jsonl_stdin_is_exit_2() {
            assertOneLine(taskctl("", "submit", "--api-url", deadUrl, "--jsonl", "-"), 2);
        }

        @Test
        void an_unknown_option_is_exit_2() {
            assertOneLine(taskctl("", "submit", "--api-url", deadUrl, "--bogus", "--data", "{}"), 2);
        }

        @Test
        void a_missing_id_is_exit_2() {
            assertOneLine(taskctl("", "status", "--api-url", deadUrl), 2);
        }
    }

    @Nested
    class Hostile_ids {
        @ParameterizedTest
        @ValueSource(strings = {"../x", "../../etc/passwd", "a;b", "$(id)", "`id`", "x && rm -rf /", "a|b", "%2e%2e",
                "a b", "'", "\"", "*", "?", "x/../y", UNKNOWN + "/..", UNKNOWN + ";rm", "\u0000", "\u202e" + UNKNOWN})
        void ids_with_shell_metacharacters_or_path_segments_are_exit_2_before_any_call(String id) {
            for (String command : List.of("status", "watch", "cancel")) {
                assertOneLine(taskctl("", command, "--api-url", deadUrl, id), 2);
            }
        }

        @Test
        void hostile_ids_on_stdin_are_exit_2() {
            assertOneLine(taskctl("../x\n", "watch", "--api-url", deadUrl, "-"), 2);
        }

        @Test
        void an_unknown_but_well_formed_id_is_exit_3() {
            assertOneLine(taskctl("", "status", "--api-url", url, UNKNOWN), 3);
        }
    }

    @Nested
    class Unreachable_or_refused {
        @Test
        void an_unreachable_api_is_exit_5() {
            for (List<String> args : List.of(List.of("submit", "--data", "{}"), List.of("status", UNKNOWN),
                    List.of("cancel", UNKNOWN))) {
                List<String> all = new ArrayList<>(args);
                all.addAll(List.of("--api-url", deadUrl));
                assertOneLine(taskctl("", all.toArray(String[]::new)), 5);
            }
        }

        @Test
        void a_malformed_api_url_is_exit_2() {
            CliRun.Result r = taskctl("", "status", "--api-url", "ht!tp://nope", UNKNOWN);
            assertOneLine(r, 2);
            assertThat(r.err()).contains("Illegal character in scheme name");
        }

        @Test
        void expired_credentials_are_exit_5_and_say_so() {
            try (ExpiredTokenFake aws = new ExpiredTokenFake()) {
                Map<String, String> env = CliRun.awsEnv(Map.of("ssm", aws.url().toString(), "dynamodb", aws.url().toString(),
                        "sts", aws.url().toString(), "sns", aws.url().toString()));
                for (List<String> args : List.of(List.of("params", "--stage", "staging"),
                        List.of("setup-params", "--stage", "staging", "--dry-run"),
                        List.of("status", "--stage", "staging", UNKNOWN),
                        List.of("submit", "--stage", "staging", "--data", "{}"))) {
                    CliRun.Result r = CliRun.run(env, "", args.toArray(String[]::new));
                    assertOneLine(r, 5);
                    assertThat(r.err()).as(String.join(" ", args)).containsIgnoringCase("expired");
                }
            }
        }
    }
}
