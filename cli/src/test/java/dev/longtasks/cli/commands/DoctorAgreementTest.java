package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.fakes.CloudFormationFake;
import dev.longtasks.cli.fakes.LambdaFake;
import dev.longtasks.cli.fakes.StsFake;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.SsmFake;
import dev.longtasks.testing.StandIns;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code doctor}'s agreement checks: the SSM parameters (the SSM fake), the stack's outputs (the
 * CloudFormation fake, AWS query protocol) and the functions' environment (the Lambda fake's
 * GetFunctionConfiguration on the snapstart alias), with the topic itself in fauxqs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DoctorAgreementTest {
    AwsClients clients;
    String topicArn;
    String topicName;
    String stage;
    String api;
    String listener;
    SsmFake ssm;
    StsFake sts;
    CloudFormationFake cfn;
    LambdaFake lambda;

    @BeforeAll
    void topic() {
        clients = AwsTestEnv.clients();
        topicName = StandIns.uniqueName("system-events");
        topicArn = clients.sns().createTopic(r -> r.name(topicName)).topicArn();
    }

    @AfterAll
    void deleteTopic() {
        clients.sns().deleteTopic(r -> r.topicArn(topicArn));
        clients.close();
    }

    @BeforeEach
    void stage() {
        stage = StandIns.uniqueName("doc").replaceAll("[^A-Za-z0-9_-]", "-");
        api = "long-running-tasks-" + stage + "-api";
        listener = "long-running-tasks-" + stage + "-listener";
        ssm = new SsmFake().seed(stage, topicName, topicArn, "tasks-" + stage);
        sts = new StsFake();
        cfn = new CloudFormationFake();
        lambda = new LambdaFake(Set.of(api, listener), b -> null);
        for (String f : List.of(api, listener)) {
            lambda.environment(f, Map.of("TASKS_TABLE", "tasks-" + stage, "TASKS_TOPIC_ARN", topicArn));
        }
    }

    @AfterEach
    void stop() {
        ssm.close();
        sts.close();
        cfn.close();
        lambda.close();
    }

    void stack(String systemEventTopicArn, String configuredTopicArn) {
        cfn.stack("long-running-tasks-" + stage, Map.of("SystemEventTopicArn", systemEventTopicArn,
                "ConfiguredTopicArn", configuredTopicArn, "ListenerFailureQueueUrl", "http://127.0.0.1:9/q"));
    }

    CliRun.Result doctor() {
        Map<String, String> env = new HashMap<>(AwsTestEnv.env());
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_STS", sts.url().toString());
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.url().toString());
        env.put("AWS_ENDPOINT_URL_CLOUDFORMATION", cfn.url().toString());
        return CliRun.run(env, "", "doctor", "--stage", stage);
    }

    /** The lines of the agreement checks: after the functions check, before the overdue count. */
    static List<String> agreement(CliRun.Result r) {
        List<String> lines = Arrays.asList(r.outLines());
        int functions = 0;
        while (!lines.get(functions).contains(" functions: ")) {
            functions++;
        }
        return lines.subList(functions + 1, lines.size() - 1).stream()
                .filter(l -> !l.contains(" overdue tasks: ")).toList();
    }

    @Test
    void a_stage_whose_names_agree_passes_every_agreement_check() {
        stack(topicArn, topicArn);
        var r = doctor();
        assertThat(agreement(r)).containsExactly(
                "✓ stack topic: long-running-tasks-" + stage + " publishes to " + topicArn + ", as the parameter said at deploy",
                "✓ parameter vs stack: /" + stage + "/v1/sns/system_event_topic_arn is the stack's topic",
                "✓ environment " + api + ": version 3: TASKS_TABLE as the parameter, TASKS_TOPIC_ARN the stack's topic",
                "✓ environment " + listener + ": version 3: TASKS_TABLE as the parameter, TASKS_TOPIC_ARN the stack's topic");
        assertThat(lambda.requests).contains("GET /2015-03-31/functions/" + api + "/configuration?Qualifier=snapstart");
        assertThat(r.err()).isEqualTo("checking stage " + stage + " in region us-east-1 (from $AWS_REGION)\n");
    }

    @Test
    void a_configured_topic_arn_other_than_the_stacks_topic_fails_with_the_command_that_fixes_it() {
        String wrong = "arn:aws:sns:us-east-1:111111111111:" + topicName;
        ssm.put("/" + stage + "/v1/sns/system_event_topic_arn", wrong);
        stack(topicArn, wrong);

        var r = doctor();

        assertThat(r.code()).isEqualTo(5);
        String fix = "`taskctl setup-params --stage " + stage + " --region us-east-1 --topic-arn " + topicArn + " --overwrite`";
        assertThat(agreement(r)).startsWith(
                "✗ stack topic: the stack's topic is " + topicArn + " but /" + stage + "/v1/sns/system_event_topic_arn said "
                        + wrong + " at deploy (ConfiguredTopicArn) — " + fix + ", then `npx osls deploy --stage " + stage
                        + " --region us-east-1`",
                "✗ parameter vs stack: /" + stage + "/v1/sns/system_event_topic_arn is " + wrong + ", the stack's topic is "
                        + topicArn + " — " + fix);
    }

    @Test
    void a_renamed_table_that_was_not_deployed_fails_the_functions_environment() {
        ssm.put("/" + stage + "/v1/tables/long_running_tasks_table", "tasks-" + stage + "-v2");
        stack(topicArn, topicArn);

        var r = doctor();

        assertThat(r.code()).isEqualTo(5);
        String deployAgain = " — deploy again: `npx osls deploy --stage " + stage + " --region us-east-1` (a new version carries the current names)";
        assertThat(agreement(r)).containsSubsequence(
                "✗ environment " + api + ": version 3 has TASKS_TABLE=tasks-" + stage + " but the parameter /" + stage
                        + "/v1/tables/long_running_tasks_table is tasks-" + stage + "-v2" + deployAgain,
                "✗ environment " + listener + ": version 3 has TASKS_TABLE=tasks-" + stage + " but the parameter /" + stage
                        + "/v1/tables/long_running_tasks_table is tasks-" + stage + "-v2" + deployAgain);
    }

    @Test
    void a_function_publishing_to_another_topic_than_the_stacks_fails() {
        stack(topicArn, topicArn);
        lambda.environment(listener, Map.of("TASKS_TABLE", "tasks-" + stage, "TASKS_TOPIC_ARN", topicArn + "-old"));

        var r = doctor();

        assertThat(agreement(r)).contains("✗ environment " + listener + ": version 3 has TASKS_TOPIC_ARN=" + topicArn
                + "-old but the stack's topic is " + topicArn + " — deploy again: `npx osls deploy --stage " + stage
                + " --region us-east-1` (a new version carries the current names)");
    }
}
