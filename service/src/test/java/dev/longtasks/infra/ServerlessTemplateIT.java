package dev.longtasks.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.Version;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages serverless.yml with osls, offline and without credentials (the three --param values
 * replace the SSM lookups), and checks the CloudFormation it generates. Runs after `package`
 * (failsafe) because osls needs the real Lambda jar that serverless.yml points to.
 */
class ServerlessTemplateIT {
    static JsonNode resources;
    static String packageLog;

    @BeforeAll
    static void packageStaging(@TempDir Path tmp) throws Exception {
        Path root = projectRoot();
        Path osls = root.resolve("node_modules/.bin/osls");
        if (!Files.exists(osls)) {
            throw new IllegalStateException(osls + " is missing: run ./test.sh (it runs `npm ci` first)");
        }
        Path out = tmp.resolve("package");
        ProcessBuilder pb = new ProcessBuilder(List.of("node", osls.toString(), "package", "--stage", "staging",
                "--package", out.toString(),
                "--param", "topicName=system-events-staging",
                "--param", "topicArn=arn:aws:sns:eu-west-1:123456789012:system-events-staging",
                "--param", "tableName=long-running-tasks-staging"))
                .directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // No credentials and no profile: packaging must not need AWS.
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", tmp.toString());
        env.put("SLS_TELEMETRY_DISABLED", "1");
        env.put("SLS_NOTIFICATIONS_MODE", "off");
        Process p = pb.start();
        byte[] log = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        packageLog = new String(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(packageLog).isZero();
        resources = Json.MAPPER.readTree(out.resolve("cloudformation-template-update-stack.json").toFile()).get("Resources");
    }

    static Path projectRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("serverless.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException("serverless.yml not found above " + System.getProperty("user.dir"));
    }

    static JsonNode fn(String logicalId) {
        return resources.get(logicalId).get("Properties");
    }

    static List<JsonNode> ofType(String type) {
        List<JsonNode> found = new ArrayList<>();
        resources.forEach(r -> {
            if (type.equals(r.get("Type").asText())) {
                found.add(r.get("Properties"));
            }
        });
        return found;
    }

    @Nested
    class Functions {
        @Test
        void both_run_java21_on_arm64_with_snapstart_and_the_stage_environment() {
            for (String id : List.of("ApiLambdaFunction", "ListenerLambdaFunction")) {
                JsonNode f = fn(id);
                assertThat(f.get("Runtime").asText()).isEqualTo("java21");
                assertThat(f.get("Architectures").get(0).asText()).isEqualTo("arm64");
                assertThat(f.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
                assertThat(f.at("/Environment/Variables/API_STAGE").asText()).isEqualTo("staging");
                assertThat(f.at("/Environment/Variables/POWERTOOLS_SERVICE_NAME").asText()).isEqualTo("long-running-tasks");
                assertThat(f.at("/Environment/Variables").has("POWERTOOLS_LOG_LEVEL")).isTrue();
            }
            assertThat(fn("ApiLambdaFunction").get("Handler").asText()).isEqualTo("dev.longtasks.lambda.ApiHandler::handleRequest");
            assertThat(fn("ListenerLambdaFunction").get("Handler").asText()).isEqualTo("dev.longtasks.lambda.ListenerHandler::handleRequest");
        }

        @Test
        void the_api_has_30_seconds_and_the_listener_15_minutes() {
            assertThat(fn("ApiLambdaFunction").get("Timeout").asInt()).isEqualTo(30);
            assertThat(fn("ListenerLambdaFunction").get("Timeout").asInt()).isEqualTo(900);
        }

        @Test
        void the_artifact_is_the_versioned_lambda_jar_of_this_build() throws IOException {
            String yml = Files.readString(projectRoot().resolve("serverless.yml"));
            assertThat(yml).contains("artifact: service/target/service-" + Version.current() + "-lambda.jar");
        }

        @Test
        void every_api_route_is_routed_to_the_api_function() {
            List<String> routes = ofType("AWS::ApiGatewayV2::Route").stream().map(r -> r.get("RouteKey").asText()).toList();
            assertThat(routes).contains("POST /v1/example/process-task", "POST /v1/tasks", "GET /v1/tasks/{task_id}",
                    "DELETE /v1/tasks/{task_id}", "GET /v1/openapi.json", "GET /v1/health", "GET /v1/docs",
                    "GET /v1/docs/{asset}", "OPTIONS /{proxy+}", "$default");
        }
    }

    @Nested
    class Table {
        @Test
        void is_keyed_by_task_id_pay_per_request_with_ttl_pitr_and_encryption() {
            JsonNode t = ofType("AWS::DynamoDB::Table").getFirst();
            assertThat(t.get("TableName").asText()).isEqualTo("long-running-tasks-staging");
            assertThat(t.get("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
            assertThat(t.get("KeySchema")).hasSize(1);
            assertThat(t.at("/KeySchema/0/AttributeName").asText()).isEqualTo("task_id");
            assertThat(t.at("/KeySchema/0/KeyType").asText()).isEqualTo("HASH");
            assertThat(t.at("/AttributeDefinitions/0/AttributeType").asText()).isEqualTo("S");
            assertThat(t.at("/TimeToLiveSpecification/AttributeName").asText()).isEqualTo("ttl");
            assertThat(t.at("/TimeToLiveSpecification/Enabled").asBoolean()).isTrue();
            assertThat(t.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).isTrue();
            assertThat(t.at("/SSESpecification/SSEEnabled").asBoolean()).isTrue();
        }
    }

    @Nested
    class Listener {
        @Test
        void subscribes_to_the_topic_for_task_submitted_only_through_the_snapstart_alias() {
            assertThat(ofType("AWS::SNS::Topic").getFirst().get("TopicName").asText()).isEqualTo("system-events-staging");
            JsonNode s = ofType("AWS::SNS::Subscription").getFirst();
            assertThat(s.get("Protocol").asText()).isEqualTo("lambda");
            assertThat(s.get("FilterPolicy")).isEqualTo(Json.read("{\"event_type\":[\"task.submitted\"]}"));
            assertThat(s.get("FilterPolicyScope").asText()).isEqualTo("MessageAttributes");
            assertThat(s.toString()).contains("snapstart");
        }

        @Test
        void failed_events_are_retried_then_go_to_the_sqs_dead_letter_queue() {
            JsonNode c = ofType("AWS::Lambda::EventInvokeConfig").getFirst();
            assertThat(c.get("MaximumRetryAttempts").asInt()).isEqualTo(2);
            assertThat(c.get("MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
            assertThat(c.at("/DestinationConfig/OnFailure/Destination")).isEqualTo(
                    Json.read("{\"Fn::GetAtt\":[\"ListenerDeadLetterQueue\",\"Arn\"]}"));
            assertThat(resources.get("ListenerDeadLetterQueue").get("Type").asText()).isEqualTo("AWS::SQS::Queue");
        }
    }

    @Nested
    class Iam {
        List<JsonNode> statements() {
            List<JsonNode> all = new ArrayList<>();
            for (String type : List.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
                for (JsonNode props : ofType(type)) {
                    props.path("Policies").forEach(p -> p.at("/PolicyDocument/Statement").forEach(all::add));
                    props.at("/PolicyDocument/Statement").forEach(all::add);
                }
            }
            return all;
        }

        static List<String> resourcesOf(JsonNode statement) {
            JsonNode r = statement.get("Resource");
            List<String> out = new ArrayList<>();
            if (r.isArray()) {
                r.forEach(x -> out.add(x.toString()));
            } else {
                out.add(r.toString());
            }
            return out;
        }

        @Test
        void no_statement_grants_a_wildcard_resource() {
            List<JsonNode> statements = statements();
            assertThat(statements).isNotEmpty();
            for (JsonNode s : statements) {
                for (String r : resourcesOf(s)) {
                    assertThat(r).as(s.toString()).isNotEqualTo("\"*\"").doesNotContain(":*:").doesNotContain("parameter/*");
                }
                s.get("Action").forEach(a -> assertThat(a.asText()).as(s.toString()).doesNotEndWith(":*").isNotEqualTo("*"));
            }
        }

        @Test
        void ssm_reads_are_limited_to_the_stage_path() {
            for (JsonNode s : statements()) {
                if (s.get("Action").toString().contains("ssm:")) {
                    assertThat(s.get("Action").toString()).isEqualTo("[\"ssm:GetParametersByPath\"]");
                    for (String r : resourcesOf(s)) {
                        assertThat(r).containsPattern(":parameter/staging/v1(/\\*)?\"?\\}?$");
                    }
                }
            }
        }

        @Test
        void each_function_has_its_own_role() {
            assertThat(fn("ApiLambdaFunction").get("Role").toString()).contains("ApiRole");
            assertThat(fn("ListenerLambdaFunction").get("Role").toString()).contains("ListenerRole");
            assertThat(resources.has("IamRoleLambdaExecution")).isFalse();
        }
    }
}
