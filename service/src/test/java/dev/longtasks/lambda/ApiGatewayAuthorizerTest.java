package dev.longtasks.lambda;

import static dev.longtasks.lambda.ApiGatewayV2Test.fixture;
import static dev.longtasks.lambda.ApiGatewayV2Test.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.api.GatewayAuthorizer;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.Principal;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.json.Json;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.SsmFake;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * In Lambda the API trusts API Gateway's authorizer: the v2 event's
 * {@code requestContext.authorizer.iam} or {@code .jwt} marks the request authenticated, and
 * {@code TASKS_API_AUTH} (set from the deploy's {@code --param auth}) says which one guards listing.
 */
class ApiGatewayAuthorizerTest {

    private static byte[] withoutAuthorizer(byte[] event) throws IOException {
        ObjectNode e = (ObjectNode) Json.MAPPER.readTree(event);
        ((ObjectNode) e.get("requestContext")).remove("authorizer");
        return Json.writeBytes(e);
    }

    private static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode body(JsonNode response) {
        return Json.read(response.get("body").asText());
    }

    private static void assertProblem(JsonNode response, int status, String slug) {
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(status);
        assertThat(response.at("/headers/Content-Type").asText()).isEqualTo("application/problem+json");
        assertThat(body(response).get("type").asText()).isEqualTo("https://longtasks.dev/problems/" + slug);
    }

    @Nested
    class The_adapter {
        private HttpRequest seen(byte[] event) throws IOException {
            AtomicReference<HttpRequest> seen = new AtomicReference<>();
            invoke(new ApiHandler(r -> {
                seen.set(r);
                return new HttpResponse(200, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
            }), event);
            return seen.get();
        }

        @Test
        void maps_the_iam_authorizer_to_the_caller_arn() throws IOException {
            HttpRequest r = seen(fixture("http-api-list-tasks-iam.json"));

            assertThat(r.principal()).isEqualTo(new Principal(GatewayAuthorizer.IAM, "arn:aws:iam::123456789012:user/operator"));
            assertThat(r.query()).containsEntry("status", List.of("RUNNING,FAILED"));
        }

        @Test
        void maps_the_jwt_authorizer_to_the_subject() throws IOException {
            assertThat(seen(fixture("http-api-task-stats-jwt.json")).principal())
                    .isEqualTo(new Principal(GatewayAuthorizer.JWT, "ops-user"));
        }

        @Test
        void leaves_a_request_without_an_authorizer_unauthenticated_whatever_its_headers_say() throws IOException {
            assertThat(seen(withoutAuthorizer(fixture("http-api-list-tasks-iam.json"))).principal()).isNull();
            assertThat(seen(fixture("http-api-get-task.json")).principal()).isNull();
        }

        @Test
        void names_an_iam_caller_without_a_user_arn_by_its_caller_id() {
            JsonNode authorizer = Json.read("{\"iam\":{\"callerId\":\"AROAEXAMPLE:session\",\"userArn\":null}}");

            assertThat(ApiGatewayV2.principal(authorizer)).isEqualTo(new Principal(GatewayAuthorizer.IAM, "AROAEXAMPLE:session"));
        }
    }

    @Nested
    class On_memory_backends {
        @Test
        void with_auth_iam_the_authorized_event_is_listed_and_the_same_event_without_the_authorizer_is_401() throws IOException {
            ApiHandler api = new ApiHandler(Map.of("API_STAGE", "local", "TASKS_API_AUTH", "iam", "TASKS_WORKERS", "1"));

            JsonNode listed = invoke(api, fixture("http-api-list-tasks-iam.json"));
            assertThat(listed.get("statusCode").asInt()).as(listed.toString()).isEqualTo(200);
            assertThat(body(listed).get("tasks").isArray()).isTrue();
            assertProblem(invoke(api, withoutAuthorizer(fixture("http-api-list-tasks-iam.json"))), 401, "auth-required");
            assertProblem(invoke(api, fixture("http-api-task-stats-jwt.json")), 401, "auth-required");
        }

        @Test
        void with_auth_jwt_the_jwt_authorizer_passes() throws IOException {
            ApiHandler api = new ApiHandler(Map.of("API_STAGE", "local", "TASKS_API_AUTH", "jwt", "TASKS_WORKERS", "1"));

            JsonNode stats = invoke(api, fixture("http-api-task-stats-jwt.json"));

            assertThat(stats.get("statusCode").asInt()).as(stats.toString()).isEqualTo(200);
            assertThat(body(stats).get("by_status").size()).isEqualTo(5);
        }
    }

    /** The dashboard's page comes through API Gateway without the authorizer, gzip-compressed, with its headers. */
    @Nested
    class The_dashboard {
        @Test
        void behind_the_iam_authorizer_the_page_is_served_to_a_request_the_authorizer_never_saw() throws IOException {
            ApiHandler api = new ApiHandler(Map.of("API_STAGE", "local", "TASKS_API_AUTH", "iam", "TASKS_WORKERS", "1"));

            JsonNode page = invoke(api, fixture("http-api-get-ui.json"));

            assertThat(page.get("statusCode").asInt()).as(page.toString()).isEqualTo(200);
            assertThat(page.at("/headers/Content-Type").asText()).isEqualTo("text/html; charset=utf-8");
            assertThat(page.at("/headers/Content-Security-Policy").asText()).contains("script-src 'self'", "frame-ancestors 'none'");
            assertThat(page.at("/headers/X-Content-Type-Options").asText()).isEqualTo("nosniff");
            assertThat(page.at("/headers/Content-Encoding").asText()).isEqualTo("gzip");
            assertThat(page.get("isBase64Encoded").asBoolean()).isTrue();
            String html = new String(gunzip(Base64.getDecoder().decode(page.get("body").asText())), StandardCharsets.UTF_8);
            assertThat(html).contains("<title>Tasks", "ui/app.js?v=");
            assertProblem(invoke(api, withoutAuthorizer(fixture("http-api-list-tasks-iam.json"))), 401, "auth-required");
        }
    }

    @Nested
    class On_a_stage {
        @Test
        void listing_is_off_without_auth_and_behind_the_iam_authorizer_lists_from_the_table_while_task_routes_stay_open()
                throws IOException {
            try (AwsClients clients = AwsTestEnv.clients(); SsmFake ssm = new SsmFake()) {
                String table = AwsTestEnv.createTable(clients.dynamoDb());
                ssm.seed("staging", "events-x", "arn:aws:sns:us-east-1:000000000000:events-x", table);
                Map<String, String> env = AwsTestEnv.env();
                env.put("API_STAGE", "staging");
                env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
                Map<String, String> iam = new HashMap<>(env);
                iam.put("TASKS_API_AUTH", "iam");

                JsonNode off = invoke(new ApiHandler(env), fixture("http-api-list-tasks-iam.json"));
                JsonNode dynamo = invoke(new ApiHandler(iam), fixture("http-api-list-tasks-iam.json"));
                JsonNode task = invoke(new ApiHandler(iam), new String(fixture("http-api-get-task.json"), StandardCharsets.UTF_8)
                        .replace("TASK_ID", UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8));

                assertProblem(off, 403, "access-not-configured");
                assertThat(body(off).get("detail").asText()).contains("--param auth=iam");
                // Behind the authorizer the route reads the table's listing index: an empty page here.
                assertThat(dynamo.get("statusCode").asInt()).as(dynamo.toString()).isEqualTo(200);
                assertThat(body(dynamo).get("tasks")).isEmpty();
                assertThat(body(dynamo).get("next_cursor").isNull()).isTrue();
                assertProblem(task, 404, "task-not-found");
            }
        }
    }
}
