package dev.longtasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.Version;
import dev.longtasks.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    static final String ID = "3f1c9e0a-1111-4111-8111-111111111111";

    @Nested
    class Version_and_help {
        @Test
        void version_prints_the_one_build_version() {
            var r = CliRun.run("--version");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("taskctl " + Version.current() + "\n");
            assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+.*");
        }

        @Test
        void help_lists_every_command_and_the_exit_codes() {
            var r = CliRun.run("--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("setup-params", "params", "doctor", "submit", "watch", "status", "cancel",
                    "invoke", "event", "dev", "completion", "3 not found or expired", "130 interrupted");
        }

        @ParameterizedTest
        @ValueSource(strings = {"setup-params", "params", "doctor", "submit", "watch", "status", "cancel", "invoke",
                "event", "dev", "completion"})
        void every_command_answers_help_on_stdout_with_exit_0(String command) {
            for (String flag : new String[] {"--help", "-h"}) {
                var r = CliRun.run(command, flag);
                assertThat(r.code()).as(command + " " + flag).isZero();
                assertThat(r.out()).startsWith("Usage: taskctl " + command);
                assertThat(r.err()).isEmpty();
            }
        }

        @Test
        void the_pointer_in_a_usage_error_leads_to_working_help() {
            var refused = CliRun.run("status", "--bogus", ID);
            assertThat(refused.err()).contains("see `taskctl status --help`");
            assertThat(CliRun.run("status", "--help").out()).contains("--api-url=URL");
        }

        @Test
        void no_command_is_a_usage_error() {
            var r = CliRun.run();
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("taskctl: a command is needed (see `taskctl --help`)\n");
        }

        @Test
        void an_unknown_option_is_a_usage_error_with_a_pointer_to_help() {
            var r = CliRun.run("status", "--bogus", ID);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: Unknown option: '--bogus' — see `taskctl status --help`\n");
        }

        @Test
        void stack_traces_appear_only_with_verbose() {
            var plain = CliRun.run("status", "--api-url", "http://127.0.0.1:9", ID);
            assertThat(plain.code()).isEqualTo(5);
            assertThat(plain.err().lines().count()).isEqualTo(1);
            var verbose = CliRun.run("status", "--api-url", "http://127.0.0.1:9", "-v", ID);
            assertThat(verbose.code()).isEqualTo(5);
            assertThat(verbose.err()).startsWith(plain.err()).contains("\tat dev.longtasks.cli.backend.HttpTaskBackend");
        }

        @Test
        void a_bad_duration_is_a_usage_error() {
            var r = CliRun.run("watch", "--stage", "local", "--timeout", "soon", ID);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("'soon' is not a duration; use e.g. 500ms, 2s, 15m or 1h");
        }
    }

    @Nested
    class Targets {
        @Test
        void no_stage_at_all_says_how_to_pick_one() {
            var r = CliRun.run("status", ID);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: no target: pass --stage STAGE (or --stage local, or --api-url URL), or set TASKCTL_STAGE\n");
        }

        @Test
        void taskctl_stage_comes_before_api_stage_and_local_means_port_4000() {
            // Nothing listens on 4000 in tests: the message names the URL the stage resolved to.
            var r = CliRun.run(Map.of("TASKCTL_STAGE", "local", "API_STAGE", "prod"), "", "status", ID);
            assertThat(r.code()).isEqualTo(5);
            assertThat(r.err()).startsWith("taskctl: cannot reach the task API at http://localhost:4000 — is it running?");
        }

        @Test
        void api_url_must_be_http() {
            var r = CliRun.run("status", "--api-url", "ftp://x", ID);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: --api-url ftp://x is not an http(s) URL, e.g. http://localhost:4000\n");
        }
    }

    @Nested
    class Event_sns {
        @Test
        void prints_an_sns_lambda_event_with_message_attributes() {
            var r = CliRun.run("event", "sns", "--task-id", ID, "--stage", "staging", "--type", "noop");
            assertThat(r.code()).isZero();
            var e = Json.read(r.out());
            var sns = e.at("/Records/0/Sns");
            assertThat(e.at("/Records/0/EventSource").asText()).isEqualTo("aws:sns");
            assertThat(sns.get("TopicArn").asText()).isEqualTo("arn:aws:sns:us-east-1:000000000000:long-running-tasks-staging-system-events");
            assertThat(Json.read(sns.get("Message").asText())).isEqualTo(Json.read(
                    "{\"task_id\":\"" + ID + "\",\"task_type\":\"noop\",\"event\":\"task.submitted\",\"stage\":\"staging\"}"));
            assertThat(sns.at("/MessageAttributes/event_type/Value").asText()).isEqualTo("task.submitted");
            assertThat(sns.at("/MessageAttributes/task_type/Value").asText()).isEqualTo("noop");
            assertThat(sns.at("/MessageAttributes/task_type/Type").asText()).isEqualTo("String");
        }

        @Test
        void compact_prints_one_line() {
            var r = CliRun.run("event", "sns", "--task-id", ID, "--compact");
            assertThat(r.outLines()).hasSize(1);
        }
    }

    @Nested
    class Completion {
        @Test
        void bash_prints_picocli_completion_for_every_command() {
            var r = CliRun.run("completion", "bash");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("_picocli_taskctl()", "complete -F _complete_taskctl", "setup-params", "watch");
        }

        @Test
        void zsh_loads_bash_completion_compatibility_first() {
            var r = CliRun.run("completion", "zsh");
            assertThat(r.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n");
        }

        @Test
        void other_shells_are_a_usage_error() {
            var r = CliRun.run("completion", "fish");
            assertThat(r.code()).isEqualTo(2);
        }
    }
}
