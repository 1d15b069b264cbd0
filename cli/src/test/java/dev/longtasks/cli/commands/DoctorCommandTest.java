package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.CloudFormationFake;
import dev.longtasks.cli.fakes.LambdaFake;
import dev.longtasks.cli.fakes.StsFake;
import dev.longtasks.testing.SsmFake;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {
    @Nested
    class With_a_missing_parameter {
        @Test
        void names_it_with_the_command_that_fixes_it_and_exits_5() {
            try (SsmFake ssm = new SsmFake(); StsFake sts = new StsFake(); CloudFormationFake cfn = new CloudFormationFake();
                 LambdaFake lambda = new LambdaFake(Set.of("long-running-tasks-staging-api"), b -> null)) {
                ssm.put("/staging/v1/sns/system_event_topic_name", "t");
                var env = CliRun.awsEnv(Map.of("ssm", ssm.endpoint().toString(), "sts", sts.url().toString(),
                        "lambda", lambda.url().toString(), "cloudformation", cfn.url().toString()));
                var r = CliRun.run(env, "", "doctor", "--stage", "staging");
                assertThat(r.code()).isEqualTo(5);
                assertThat(r.out()).isEqualTo("""
                        ✓ credentials: account 123456789012 as arn:aws:iam::123456789012:user/operator, region us-east-1
                        ✓ parameter /staging/v1/sns/system_event_topic_name: t
                        ✗ parameter /staging/v1/sns/system_event_topic_arn: missing — run `taskctl setup-params --stage staging`
                        ✗ parameter /staging/v1/tables/long_running_tasks_table: missing — run `taskctl setup-params --stage staging`
                        - topic: skipped: no topic ARN parameter
                        - table: skipped: no table name parameter
                        - subscription: skipped: no topic ARN parameter
                        ✗ functions: missing: long-running-tasks-staging-listener — deploy with `npx osls deploy --stage staging --region us-east-1` or name them with --api-function/--listener-function
                        ✗ stack: long-running-tasks-staging does not exist in us-east-1 — deploy the stage: `npx osls deploy --stage staging --region us-east-1`
                        ✗ environment long-running-tasks-staging-api: version 3 has no TASKS_TABLE — deploy again: `npx osls deploy --stage staging --region us-east-1` (a new version carries the current names)
                        ✗ environment long-running-tasks-staging-api: version 3 has no TASKS_TOPIC_ARN — deploy again: `npx osls deploy --stage staging --region us-east-1` (a new version carries the current names)
                        - environment long-running-tasks-staging-listener: skipped: no such function
                        6 check(s) failed
                        """);
                assertThat(r.err()).isEqualTo("checking stage staging in region us-east-1 (from $AWS_REGION)\n");
            }
        }

        @Test
        void json_output_has_one_object_per_check() {
            try (SsmFake ssm = new SsmFake(); StsFake sts = new StsFake(); CloudFormationFake cfn = new CloudFormationFake();
                 LambdaFake lambda = new LambdaFake(Set.of(), b -> null)) {
                var env = CliRun.awsEnv(Map.of("ssm", ssm.endpoint().toString(), "sts", sts.url().toString(),
                        "lambda", lambda.url().toString(), "cloudformation", cfn.url().toString()));
                var r = CliRun.run(env, "", "doctor", "--stage", "staging", "-o", "jsonl");
                assertThat(r.code()).isEqualTo(5);
                assertThat(r.outLines()[2]).isEqualTo("{\"check\":\"parameter /staging/v1/sns/system_event_topic_arn\",\"status\":\"fail\","
                        + "\"detail\":\"missing\",\"hint\":\"run `taskctl setup-params --stage staging`\"}");
            }
        }
    }
}
