package dev.longtasks.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.Version;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    static JsonNode outputs;
    static String packageLog;

    @BeforeAll
    static void packageStaging(@TempDir Path tmp) {
        Osls.Packaged staging = Osls.pack(tmp, "staging", Osls.STAGING_NAMES, Map.of(), "--region", "eu-west-1");
        packageLog = staging.log();
        assertThat(staging.exitCode()).as(packageLog).isZero();
        resources = staging.resources();
        outputs = staging.outputs();
    }

    static Path projectRoot() {
        return Osls.projectRoot();
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
        void the_api_has_29_seconds_and_the_listener_15_minutes() {
            // One second under HTTP API's 30 s integration limit, so osls has nothing to warn about.
            assertThat(fn("ApiLambdaFunction").get("Timeout").asInt()).isEqualTo(29);
            assertThat(fn("ListenerLambdaFunction").get("Timeout").asInt()).isEqualTo(900);
            assertThat(packageLog).doesNotContain("timeout setting");
        }

        @Test
        void both_get_the_table_and_the_topic_of_this_stack_in_their_environment() {
            String table = ofType("AWS::DynamoDB::Table").getFirst().get("TableName").asText();
            String topic = ofType("AWS::SNS::Topic").getFirst().get("TopicName").asText();
            assertThat(table).isEqualTo("long-running-tasks-staging");
            for (String id : List.of("ApiLambdaFunction", "ListenerLambdaFunction")) {
                JsonNode env = fn(id).at("/Environment/Variables");
                assertThat(env.get("TASKS_TABLE").asText()).as(id).isEqualTo(table);
                // The ARN Ref would give for the topic, spelled with its name (see serverless.yml).
                assertThat(env.get("TASKS_TOPIC_ARN")).as(id).isEqualTo(Json.read(
                        "{\"Fn::Sub\":\"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:" + topic + "\"}"));
            }
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

        @Test
        void has_the_sparse_sharded_open_task_index_keys_only() {
            JsonNode t = ofType("AWS::DynamoDB::Table").getFirst();
            assertThat(t.get("GlobalSecondaryIndexes")).hasSize(2);
            JsonNode gsi = t.at("/GlobalSecondaryIndexes/0");
            assertThat(gsi.get("IndexName").asText()).isEqualTo("open-due");
            assertThat(gsi.get("KeySchema")).isEqualTo(Json.read(
                    "[{\"AttributeName\":\"open_shard\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"due_at\",\"KeyType\":\"RANGE\"}]"));
            assertThat(gsi.at("/Projection/ProjectionType").asText()).isEqualTo("KEYS_ONLY");
            List<String> defined = new ArrayList<>();
            t.get("AttributeDefinitions").forEach(a -> defined.add(a.get("AttributeName").asText() + ":" + a.get("AttributeType").asText()));
            assertThat(defined).containsExactly("task_id:S", "open_shard:S", "due_at:N", "recent_bucket:S", "recent_at:S");
        }

        @Test
        void has_the_listing_index_by_creation_hour_and_shard_projecting_only_status_and_type() {
            JsonNode gsi = ofType("AWS::DynamoDB::Table").getFirst().at("/GlobalSecondaryIndexes/1");
            assertThat(gsi.get("IndexName").asText()).isEqualTo("recent");
            assertThat(gsi.get("KeySchema")).isEqualTo(Json.read(
                    "[{\"AttributeName\":\"recent_bucket\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"recent_at\",\"KeyType\":\"RANGE\"}]"));
            assertThat(gsi.at("/Projection/ProjectionType").asText()).isEqualTo("INCLUDE");
            assertThat(gsi.at("/Projection/NonKeyAttributes")).isEqualTo(Json.read("[\"status\",\"task_type\"]"));
        }

        @Test
        void only_the_api_queries_the_listing_index_and_only_that_index() {
            List<String> grants = new ArrayList<>();
            for (JsonNode s : fn("ApiRole").at("/Policies/0/PolicyDocument/Statement")) {
                if (s.get("Action").toString().contains("dynamodb:Query")) {
                    grants.add(s.get("Action") + " on " + s.get("Resource"));
                }
            }
            assertThat(grants).containsExactly("[\"dynamodb:Query\"] on {\"Fn::Sub\":\"${TasksTable.Arn}/index/recent\"}");
            assertThat(fn("ListenerRole").toString()).doesNotContain("index/recent");
            assertThat(fn("ReconcilerRole").toString()).doesNotContain("index/recent");
        }
    }

    @Nested
    class Reconciler {
        @Test
        void runs_every_minute_on_java21_arm64_with_the_stage_environment() {
            JsonNode f = fn("ReconcilerLambdaFunction");
            assertThat(f.get("Handler").asText()).isEqualTo("dev.longtasks.lambda.ReconcilerHandler::handleRequest");
            assertThat(f.get("Runtime").asText()).isEqualTo("java21");
            assertThat(f.get("Architectures").get(0).asText()).isEqualTo("arm64");
            assertThat(f.get("Timeout").asInt()).isEqualTo(60);
            assertThat(f.at("/Environment/Variables/TASKS_TABLE").asText()).isEqualTo("long-running-tasks-staging");
            assertThat(f.at("/Environment/Variables").has("TASKS_TOPIC_ARN")).isTrue();
            List<JsonNode> rules = ofType("AWS::Events::Rule");
            assertThat(rules).hasSize(1);
            assertThat(rules.getFirst().get("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
            assertThat(rules.getFirst().get("State").asText()).isEqualTo("ENABLED");
            assertThat(rules.getFirst().get("Targets").toString()).contains("ReconcilerLambdaFunction");
        }

        @Test
        void has_its_own_role_that_may_query_only_the_open_task_index() {
            assertThat(fn("ReconcilerLambdaFunction").get("Role").toString()).contains("ReconcilerRole");
            List<String> grants = new ArrayList<>();
            fn("ReconcilerRole").path("Policies").forEach(p -> p.at("/PolicyDocument/Statement")
                    .forEach(st -> grants.add(st.get("Action") + " on " + st.get("Resource"))));
            assertThat(grants).containsExactlyInAnyOrder(
                    "[\"logs:CreateLogStream\",\"logs:PutLogEvents\"] on {\"Fn::Sub\":\"arn:${AWS::Partition}:logs:${AWS::Region}:"
                            + "${AWS::AccountId}:log-group:/aws/lambda/long-running-tasks-staging-reconciler:*\"}",
                    "[\"dynamodb:Query\"] on {\"Fn::Sub\":\"${TasksTable.Arn}/index/open-due\"}",
                    "[\"dynamodb:GetItem\",\"dynamodb:UpdateItem\"] on {\"Fn::GetAtt\":[\"TasksTable\",\"Arn\"]}",
                    "[\"sns:Publish\"] on {\"Ref\":\"SystemEventTopic\"}");
        }
    }

    @Nested
    class Listener {
        @Test
        void keeps_back_more_than_its_last_write_can_take_and_still_runs_almost_15_minutes() {
            String callTimeout = fn("ListenerLambdaFunction").at("/Environment/Variables/TASKS_AWS_CALL_TIMEOUT_SECONDS").asText();
            assertThat(callTimeout).isNotEmpty();
            Duration margin = ServiceSettings.fromEnv(Map.of("TASKS_AWS_CALL_TIMEOUT_SECONDS", callTimeout)).runner().safetyMargin();
            assertThat(margin).isGreaterThan(Duration.ofSeconds(Long.parseLong(callTimeout)));
            assertThat(margin).isLessThan(Duration.ofSeconds(fn("ListenerLambdaFunction").get("Timeout").asInt() / 30));
        }

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
        void failed_events_are_retried_then_go_to_the_sqs_failure_queue() {
            JsonNode c = ofType("AWS::Lambda::EventInvokeConfig").getFirst();
            assertThat(c.get("MaximumRetryAttempts").asInt()).isEqualTo(2);
            assertThat(c.get("MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
            assertThat(c.at("/DestinationConfig/OnFailure/Destination")).isEqualTo(
                    Json.read("{\"Fn::GetAtt\":[\"ListenerFailureQueue\",\"Arn\"]}"));
            // On the alias the SNS subscription invokes, so the retries apply to real deliveries.
            assertThat(c.get("Qualifier").asText()).isEqualTo("snapstart");
            assertThat(resources.get("ListenerFailureQueue").get("Type").asText()).isEqualTo("AWS::SQS::Queue");
            assertThat(fn("ListenerFailureQueue").get("QueueName").asText())
                    .isEqualTo("long-running-tasks-staging-listener-failures");
        }

        @Test
        void the_failure_queue_is_named_for_what_it_is_and_published_as_outputs() {
            assertThat(resources.has("ListenerDeadLetterQueue")).isFalse();
            assertThat(outputs.toString()).doesNotContainIgnoringCase("DeadLetter").doesNotContainIgnoringCase("dlq");
            assertThat(outputs.at("/ListenerFailureQueueUrl/Value")).isEqualTo(Json.read("{\"Ref\":\"ListenerFailureQueue\"}"));
            assertThat(outputs.at("/ListenerFailureQueueArn/Value"))
                    .isEqualTo(Json.read("{\"Fn::GetAtt\":[\"ListenerFailureQueue\",\"Arn\"]}"));
        }
    }

    @Nested
    class Outputs {
        @Test
        void hold_the_stack_topic_and_the_parameter_topic_arn_for_doctor_to_compare() {
            assertThat(outputs.at("/SystemEventTopicArn/Value")).isEqualTo(Json.read("{\"Ref\":\"SystemEventTopic\"}"));
            assertThat(outputs.at("/ConfiguredTopicArn/Value").asText()).isEqualTo(Osls.STAGING_NAMES.get("topicArn"));
            assertThat(outputs.at("/ApiUrl/Value")).isEqualTo(Json.read("{\"Fn::GetAtt\":[\"HttpApi\",\"ApiEndpoint\"]}"));
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
        void no_function_may_read_ssm_because_the_names_are_in_its_environment() {
            // Stricter than the earlier "SSM reads limited to /staging/v1": there is none to limit.
            List<JsonNode> statements = statements();
            assertThat(statements).isNotEmpty();
            for (JsonNode s : statements) {
                assertThat(s.get("Action").toString()).as(s.toString()).doesNotContain("ssm:");
            }
        }

        @Test
        void the_listener_may_send_only_to_its_failure_queue_and_the_api_not_at_all() {
            List<String> sqs = new ArrayList<>();
            for (JsonNode s : statements()) {
                if (s.get("Action").toString().contains("sqs:")) {
                    sqs.add(s.get("Action") + " on " + s.get("Resource"));
                }
            }
            assertThat(sqs).containsExactly("[\"sqs:SendMessage\"] on {\"Fn::GetAtt\":[\"ListenerFailureQueue\",\"Arn\"]}");
            assertThat(fn("ListenerRole").toString()).contains("sqs:SendMessage");
            assertThat(fn("ApiRole").toString()).doesNotContain("sqs:");
        }

        @Test
        void each_function_has_its_own_role() {
            assertThat(fn("ApiLambdaFunction").get("Role").toString()).contains("ApiRole");
            assertThat(fn("ListenerLambdaFunction").get("Role").toString()).contains("ListenerRole");
            assertThat(resources.has("IamRoleLambdaExecution")).isFalse();
        }
    }
}
