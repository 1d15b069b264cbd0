package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.LambdaFake;
import dev.longtasks.json.Json;
import dev.longtasks.testing.SsmFake;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InvokeCommandTest {
    static final String ID = "3f1c9e0a-1111-4111-8111-111111111111";

    @Nested
    class Local_with_the_memory_store {
        @Test
        void runs_the_task_in_process_and_prints_the_final_record() {
            var r = CliRun.run(Map.of(), "", "invoke", "--local", "--store", "memory", "--data", "{\"steps\":2,\"step_ms\":0}", "-o", "json");
            assertThat(r.code()).isZero();
            var rec = Json.read(r.out());
            assertThat(rec.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(rec.at("/result/steps_completed").asInt()).isEqualTo(2);
            assertThat(r.err()).startsWith("running the listener locally on task.submitted for " + rec.get("task_id").asText()
                    + " (the in-memory store)...\n");
        }

        @Test
        void a_failing_task_exits_1() {
            var r = CliRun.run(Map.of(), "{\"steps\":1,\"fail_at_step\":1,\"step_ms\":0}", "invoke", "--local", "--store", "memory", "-", "-o", "json");
            assertThat(r.code()).isEqualTo(1);
            assertThat(Json.read(r.out()).at("/error/type").asText()).isEqualTo("ExampleStepFailedException");
        }

        @Test
        void refuses_a_task_id_because_memory_starts_empty() {
            var r = CliRun.run("invoke", "--local", "--store", "memory", "--task-id", ID);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: --store memory starts empty: give task data (FILE, - or --data) instead of --task-id\n");
        }

        @Test
        void needs_exactly_one_of_local_and_remote() {
            assertThat(CliRun.run("invoke", "--data", "{}").code()).isEqualTo(2);
            assertThat(CliRun.run("invoke", "--local", "--remote", "--task-id", ID).code()).isEqualTo(2);
        }
    }

    @Nested
    class Remote {
        @Test
        void invokes_request_response_with_the_sns_event_and_decodes_the_log_tail() {
            try (SsmFake ssm = new SsmFake();
                 LambdaFake lambda = new LambdaFake(Set.of("long-running-tasks-staging-listener"),
                         body -> new LambdaFake.Reply("null", "START RequestId: 1\ntask " + ID + " attempt 1 started\nEND RequestId: 1\n", null))) {
                ssm.put("/staging/v1/sns/system_event_topic_arn", "arn:aws:sns:us-east-1:123456789012:real-topic");
                var env = CliRun.awsEnv(Map.of("lambda", lambda.url().toString(), "ssm", ssm.endpoint().toString()));
                var r = CliRun.run(env, "", "invoke", "--remote", "--stage", "staging", "--task-id", ID);
                assertThat(r.code()).isZero();
                assertThat(r.out()).isEqualTo("null\n");
                assertThat(r.err()).isEqualTo("invoking long-running-tasks-staging-listener:snapstart (RequestResponse) with task.submitted for " + ID + "...\n"
                        + "--- log tail (last 4 KB) ---\n"
                        + "START RequestId: 1\ntask " + ID + " attempt 1 started\nEND RequestId: 1\n"
                        + "--- end of log tail ---\n"
                        + "function returned with status 200 (version 3)\n");
                assertThat(lambda.invocationHeaders.getFirst()).containsEntry("X-Amz-Invocation-Type", "RequestResponse")
                        .containsEntry("X-Amz-Log-Type", "Tail");
                assertThat(lambda.requests).containsExactly(
                        "POST /2015-03-31/functions/long-running-tasks-staging-listener/invocations?Qualifier=snapstart");
                var event = Json.read(lambda.invocations.getFirst());
                assertThat(event.at("/Records/0/Sns/TopicArn").asText()).isEqualTo("arn:aws:sns:us-east-1:123456789012:real-topic");
                assertThat(event.at("/Records/0/Sns/MessageAttributes/event_type/Value").asText()).isEqualTo("task.submitted");
            }
        }

        @Test
        void prints_the_function_error_and_exits_1() {
            try (LambdaFake lambda = new LambdaFake(Set.of("my-listener"),
                    body -> new LambdaFake.Reply("{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}",
                            "START\njava.lang.IllegalStateException: boom\nEND\n", "Unhandled"))) {
                var env = CliRun.awsEnv(Map.of("lambda", lambda.url().toString(), "ssm", "http://127.0.0.1:9"));
                var r = CliRun.run(env, "", "invoke", "--remote", "--stage", "staging", "--task-id", ID, "--function", "my-listener");
                assertThat(r.code()).isEqualTo(1);
                assertThat(r.out()).isEqualTo("{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}\n");
                assertThat(r.err()).contains("java.lang.IllegalStateException: boom\nEND\n--- end of log tail ---\n")
                        .endsWith("taskctl: the function failed (FunctionError: Unhandled) — see the log tail above; Lambda's async retry would run it again\n");
            }
        }

        @Test
        void latest_is_invoked_only_when_asked_for() {
            try (LambdaFake lambda = new LambdaFake(Set.of("long-running-tasks-staging-listener"),
                    body -> new LambdaFake.Reply("null", "", null))) {
                var env = CliRun.awsEnv(Map.of("lambda", lambda.url().toString(), "ssm", "http://127.0.0.1:9"));
                var r = CliRun.run(env, "", "invoke", "--remote", "--stage", "staging", "--task-id", ID, "--qualifier", "$LATEST");
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(lambda.requests).containsExactly(
                        "POST /2015-03-31/functions/long-running-tasks-staging-listener/invocations?Qualifier=%24LATEST");
                assertThat(r.err()).startsWith("invoking long-running-tasks-staging-listener:$LATEST (RequestResponse)")
                        .endsWith("function returned with status 200 (version $LATEST)\n");
            }
        }

        @Test
        void an_alias_the_function_does_not_have_is_an_aws_error_exit_5() {
            try (LambdaFake lambda = new LambdaFake(Set.of("long-running-tasks-staging-listener"), body -> null)) {
                var env = CliRun.awsEnv(Map.of("lambda", lambda.url().toString(), "ssm", "http://127.0.0.1:9"));
                var r = CliRun.run(env, "", "invoke", "--remote", "--stage", "staging", "--task-id", ID, "--qualifier", "blue");
                assertThat(r.code()).isEqualTo(5);
                assertThat(r.err()).contains("Function not found: arn:aws:lambda:us-east-1:123456789012:function:long-running-tasks-staging-listener:blue");
                assertThat(lambda.invocations).isEmpty();
            }
        }

        @Test
        void a_malformed_qualifier_or_one_given_to_local_is_a_usage_error() {
            var bad = CliRun.run("invoke", "--remote", "--stage", "staging", "--task-id", ID, "--qualifier", "snap start");
            assertThat(bad.code()).isEqualTo(2);
            assertThat(bad.err()).isEqualTo("taskctl: --qualifier 'snap start' is not a version or alias name "
                    + "(letters, digits, $, _ and -; e.g. snapstart, $LATEST or 3)\n");
            var local = CliRun.run("invoke", "--local", "--store", "memory", "--data", "{}", "--qualifier", "snapstart");
            assertThat(local.code()).isEqualTo(2);
            assertThat(local.err()).isEqualTo("taskctl: --qualifier is for invoke --remote: --local runs the code of this taskctl\n");
        }

        @Test
        void a_missing_function_is_an_aws_error_exit_5() {
            try (LambdaFake lambda = new LambdaFake(Set.of(), body -> null)) {
                var env = CliRun.awsEnv(Map.of("lambda", lambda.url().toString(), "ssm", "http://127.0.0.1:9"));
                var r = CliRun.run(env, "", "invoke", "--remote", "--stage", "staging", "--task-id", ID);
                assertThat(r.code()).isEqualTo(5);
                assertThat(r.err()).contains("taskctl: AWS error: Function not found");
            }
        }
    }
}
