package dev.longtasks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.testing.SsmFake;
import dev.longtasks.testing.StandIns;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The stage loader through the real SSM client against the loopback SSM fake. */
class SsmStageConfigLoaderTest {
    static final String ARN = "arn:aws:sns:us-east-1:000000000000:system-events-staging";
    SsmFake ssm;
    AwsClients clients;
    SsmStageConfigLoader loader;

    @BeforeEach
    void start() {
        ssm = new SsmFake();
        clients = new AwsClients(env(ssm.endpoint().toString()));
        loader = new SsmStageConfigLoader(clients.ssm());
        SsmStageConfigLoader.clearCache();
    }

    @AfterEach
    void stop() {
        clients.close();
        ssm.close();
    }

    static Map<String, String> env(String ssmEndpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_ENDPOINT_URL_SSM", ssmEndpoint);
        return env;
    }

    @Nested
    class Names {
        @Test
        void reads_the_seed_parameters_with_one_recursive_call() {
            ssm.seed("staging", "system-events-staging", ARN, "long-running-tasks-staging");
            ssm.put("/prod/v1/tables/long_running_tasks_table", "other-stage");
            StageConfig c = loader.load("staging", Map.of());
            assertThat(c).isEqualTo(new StageConfig("system-events-staging", ARN, "long-running-tasks-staging", "staging"));
            assertThat(ssm.calls("GetParametersByPath")).isEqualTo(1);
            var req = ssm.requests().getFirst();
            assertThat(req.get("Path").asText()).isEqualTo("/staging/v1/");
            assertThat(req.get("Recursive").asBoolean()).isTrue();
            assertThat(req.get("WithDecryption").asBoolean()).isTrue();
        }

        @Test
        void follows_next_tokens_across_pages() {
            ssm.pageSize(1);
            ssm.seed("staging", "t", ARN, "tbl");
            ssm.put("/staging/v1/extra/one", "1").put("/staging/v1/extra/two", "2");
            assertThat(loader.load("staging", Map.of()).tableName()).isEqualTo("tbl");
            assertThat(ssm.calls("GetParametersByPath")).isEqualTo(5);
        }

        @Test
        void is_read_once_per_process_and_stage() {
            ssm.seed("staging", "t", ARN, "tbl");
            loader.loadCached("staging", Map.of());
            ssm.put("/staging/v1/tables/long_running_tasks_table", "changed");
            assertThat(loader.loadCached("staging", Map.of()).tableName()).isEqualTo("tbl");
            assertThat(ssm.calls("GetParametersByPath")).isEqualTo(1);
        }
    }

    @Nested
    class Overrides {
        @Test
        void table_and_topic_from_the_environment_skip_ssm_entirely() {
            StageConfig c = loader.load("staging", Map.of("TASKS_TABLE", "local-tasks", "TASKS_TOPIC_ARN", ARN));
            assertThat(c).isEqualTo(new StageConfig("system-events-staging", ARN, "local-tasks", "staging"));
            assertThat(ssm.calls("GetParametersByPath")).isZero();
        }

        @Test
        void one_override_fills_in_the_rest_from_ssm() {
            ssm.seed("staging", "t", ARN, "tbl");
            assertThat(loader.load("staging", Map.of("TASKS_TABLE", "mine")).tableName()).isEqualTo("mine");
            assertThat(loader.load("staging", Map.of("TASKS_TABLE", "mine")).topicArn()).isEqualTo(ARN);
        }
    }

    @Nested
    class Failures {
        @Test
        void a_missing_parameter_names_it_and_the_command_that_fixes_it() {
            ssm.put("/staging/v1/sns/system_event_topic_name", "t").put("/staging/v1/sns/system_event_topic_arn", ARN);
            assertThatThrownBy(() -> loader.load("staging", Map.of()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("SSM parameter /staging/v1/tables/long_running_tasks_table not found — run `taskctl setup-params --stage staging`");
        }

        @Test
        void throttling_that_outlasts_the_sdk_retries_is_one_line() {
            ssm.failNext(20, 400, "ThrottlingException");
            assertThatThrownBy(() -> loader.load("staging", Map.of()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("cannot read SSM parameters under /staging/v1/ at " + ssm.endpoint()
                            + ": ThrottlingException (HTTP 400)")
                    .hasMessageNotContaining("\n");
            assertThat(ssm.calls("GetParametersByPath")).isGreaterThan(1); // the SDK retried
        }

        @Test
        void a_passing_server_error_is_retried_by_the_sdk() {
            ssm.seed("staging", "t", ARN, "tbl");
            ssm.failNext(1, 500, "InternalServerError");
            assertThat(loader.load("staging", Map.of()).tableName()).isEqualTo("tbl");
            assertThat(ssm.calls("GetParametersByPath")).isEqualTo(2);
        }

        @Test
        void an_unreachable_endpoint_names_it() {
            String dead = "http://127.0.0.1:" + StandIns.freePortForTests();
            try (AwsClients c = new AwsClients(env(dead))) {
                assertThatThrownBy(() -> new SsmStageConfigLoader(c.ssm()).load("staging", Map.of()))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageStartingWith("cannot read SSM parameters under /staging/v1/ at " + dead + ": cannot connect");
            }
        }

        @Test
        void a_bad_stage_or_topic_arn_is_refused() {
            assertThatThrownBy(() -> loader.load("stag/ing", Map.of()))
                    .hasMessage("API_STAGE='stag/ing' is not a valid stage name (letters, digits, . - _)");
            assertThatThrownBy(() -> loader.load("staging", Map.of("TASKS_TABLE", "t", "TASKS_TOPIC_ARN", "topic")))
                    .hasMessageStartingWith("TASKS_TOPIC_ARN='topic' is not an SNS topic ARN");
        }
    }
}
