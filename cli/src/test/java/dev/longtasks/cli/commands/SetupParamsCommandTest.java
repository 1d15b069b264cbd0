package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.StsFake;
import dev.longtasks.testing.SsmFake;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** setup-params and params against the SSM and STS wire-level fakes. */
class SetupParamsCommandTest {
    SsmFake ssm;
    StsFake sts;
    Map<String, String> env;

    @BeforeEach
    void start() {
        ssm = new SsmFake();
        ssm.pageSize(2); // three parameters: the client has to follow NextToken
        sts = new StsFake();
        env = CliRun.awsEnv(Map.of("ssm", ssm.endpoint().toString(), "sts", sts.url().toString()));
    }

    @AfterEach
    void stop() {
        ssm.close();
        sts.close();
    }

    CliRun.Result taskctl(String... args) {
        return CliRun.run(env, "", args);
    }

    /** What setup-params says first: where it acts. */
    static final String WHERE = "stage staging in region us-east-1 (from $AWS_REGION)\n";

    static final String CREATE_PLAN = """
            + /staging/v1/sns/system_event_topic_name = long-running-tasks-staging-system-events
            + /staging/v1/sns/system_event_topic_arn = arn:aws:sns:us-east-1:123456789012:long-running-tasks-staging-system-events
            + /staging/v1/tables/long_running_tasks_table = long-running-tasks-staging
            """;

    @Nested
    class SetupParams {
        @Test
        void dry_run_prints_the_plan_and_writes_nothing() {
            var r = taskctl("setup-params", "--stage", "staging", "--dry-run");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo(CREATE_PLAN);
            assertThat(r.err()).isEqualTo(WHERE + "dry run: nothing was written (3 to create, 0 to change)\n");
            assertThat(ssm.puts()).isEmpty();
        }

        @Test
        void creates_the_three_parameters_with_names_derived_from_the_stage_and_the_account() {
            var r = taskctl("setup-params", "--stage", "staging");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo(CREATE_PLAN);
            assertThat(r.err()).isEqualTo(WHERE + "created 3, changed 0, unchanged 0\n");
            assertThat(ssm.get("/staging/v1/sns/system_event_topic_arn").value())
                    .isEqualTo("arn:aws:sns:us-east-1:123456789012:long-running-tasks-staging-system-events");
            assertThat(ssm.get("/staging/v1/tables/long_running_tasks_table").type()).isEqualTo("String");
        }

        @Test
        void a_second_run_is_idempotent_and_writes_nothing() {
            taskctl("setup-params", "--stage", "staging");
            ssm.clearPuts();
            var r = taskctl("setup-params", "--stage", "staging");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("""
                    = /staging/v1/sns/system_event_topic_name = long-running-tasks-staging-system-events (unchanged)
                    = /staging/v1/sns/system_event_topic_arn = arn:aws:sns:us-east-1:123456789012:long-running-tasks-staging-system-events (unchanged)
                    = /staging/v1/tables/long_running_tasks_table = long-running-tasks-staging (unchanged)
                    """);
            assertThat(r.err()).isEqualTo(WHERE + "all parameters are up to date; nothing was written\n");
            assertThat(ssm.puts()).isEmpty();
        }

        @Test
        void changing_a_value_needs_overwrite() {
            taskctl("setup-params", "--stage", "staging");
            ssm.clearPuts();
            var refused = taskctl("setup-params", "--stage", "staging", "--table-name", "tasks-v2");
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.out()).contains("~ /staging/v1/tables/long_running_tasks_table: long-running-tasks-staging -> tasks-v2\n");
            assertThat(refused.err()).isEqualTo(WHERE + "taskctl: 1 parameter(s) exist with another value; nothing was written — "
                    + "run again with --overwrite to change them\n");
            assertThat(ssm.puts()).isEmpty();

            var changed = taskctl("setup-params", "--stage", "staging", "--table-name", "tasks-v2", "--overwrite");
            assertThat(changed.code()).isZero();
            assertThat(changed.err()).isEqualTo(WHERE + "created 0, changed 1, unchanged 2\n");
            assertThat(ssm.get("/staging/v1/tables/long_running_tasks_table").value()).isEqualTo("tasks-v2");
            assertThat(ssm.get("/staging/v1/tables/long_running_tasks_table").version()).isEqualTo(2);
        }

        @Test
        void secure_string_values_are_masked_unless_asked_for() {
            var r = taskctl("setup-params", "--stage", "prod", "--type", "SecureString", "--account", "999999999999");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("""
                    + /prod/v1/sns/system_event_topic_name = ****
                    + /prod/v1/sns/system_event_topic_arn = ****
                    + /prod/v1/tables/long_running_tasks_table = ****
                    """);
            assertThat(ssm.get("/prod/v1/sns/system_event_topic_arn").type()).isEqualTo("SecureString");
            assertThat(ssm.get("/prod/v1/sns/system_event_topic_arn").value()).contains(":999999999999:");

            var shown = taskctl("params", "--stage", "prod", "-o", "json", "--show-values");
            assertThat(shown.out()).contains("\"value\":\"long-running-tasks-prod\"");
            var masked = taskctl("params", "--stage", "prod", "-o", "json");
            assertThat(masked.out()).doesNotContain("long-running-tasks-prod\"").contains("\"value\":\"****\"");
        }

        @Test
        void the_topic_arn_takes_the_partition_of_the_callers_arn() {
            try (StsFake china = new StsFake(StsFake.CHINA_ARN)) {
                var cn = CliRun.awsEnv(Map.of("ssm", ssm.endpoint().toString(), "sts", china.url().toString()));
                var r = CliRun.run(cn, "", "setup-params", "--stage", "prod", "--region", "cn-north-1");
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(ssm.get("/prod/v1/sns/system_event_topic_arn").value())
                        .isEqualTo("arn:aws-cn:sns:cn-north-1:123456789012:long-running-tasks-prod-system-events");
                assertThat(r.err()).startsWith("stage prod in region cn-north-1 (from --region)\n");
            }
        }

        @Test
        void with_an_account_given_the_partition_comes_from_the_region_without_asking_sts() {
            var r = taskctl("setup-params", "--stage", "gov", "--region", "us-gov-west-1", "--account", "999999999999", "--dry-run");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.outLines()[1]).isEqualTo("+ /gov/v1/sns/system_event_topic_arn = "
                    + "arn:aws-us-gov:sns:us-gov-west-1:999999999999:long-running-tasks-gov-system-events");
        }

        @Test
        void an_unknown_type_is_a_usage_error() {
            var r = taskctl("setup-params", "--stage", "staging", "--type", "StringList");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: --type StringList is not supported: use String or SecureString\n");
        }

        @Test
        void the_local_stage_is_refused_because_it_has_no_parameters() {
            var r = taskctl("setup-params", "--stage", "local");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("taskctl: taskctl setup-params works on an AWS stage, not on http://localhost:4000");
        }
    }

    @Nested
    class Params {
        @Test
        void lists_missing_parameters_and_exits_5_with_the_fix() {
            ssm.put("/staging/v1/tables/long_running_tasks_table", "tasks-staging");
            var r = taskctl("params", "--stage", "staging", "-o", "json");
            assertThat(r.code()).isEqualTo(5);
            assertThat(r.out()).contains("{\"name\":\"/staging/v1/sns/system_event_topic_name\",\"present\":false,"
                    + "\"type\":null,\"value\":null,\"version\":null,\"last_modified\":null}");
            assertThat(r.err()).isEqualTo("taskctl: 2 parameter(s) missing for stage staging — run `taskctl setup-params --stage staging`\n");
        }

        @Test
        void export_prints_the_environment_overrides_for_a_shell() {
            taskctl("setup-params", "--stage", "staging");
            var r = taskctl("params", "--stage", "staging", "--export");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("""
                    export TASKS_TOPIC_ARN='arn:aws:sns:us-east-1:123456789012:long-running-tasks-staging-system-events'
                    export TASKS_TABLE='long-running-tasks-staging'
                    export API_STAGE='staging'
                    """);
        }

        @Test
        void text_output_is_a_borderless_table_with_upper_case_headers() {
            taskctl("setup-params", "--stage", "staging");
            var r = taskctl("params", "--stage", "staging");
            assertThat(r.code()).isZero();
            assertThat(r.outLines()[0]).startsWith("NAME").contains("TYPE", "VERSION", "LAST MODIFIED", "VALUE");
            assertThat(r.outLines()[3]).startsWith("/staging/v1/tables/long_running_tasks_table")
                    .contains("String", "long-running-tasks-staging");
        }
    }
}
