package dev.longtasks.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy params that choose the HTTP API's authorizer ({@code --param auth=none|iam|jwt},
 * {@code authScope=listing|all}), checked on the CloudFormation osls packages offline: which
 * routes get which authorization, the JWT authorizer, and the api function's environment that
 * tells the app what guards it.
 */
class ServerlessAccessIT {
    static final List<String> LISTING = List.of("GET /v1/tasks", "GET /v1/tasks/stats");
    static final List<String> TASK_ROUTES = List.of("POST /v1/example/process-task", "POST /v1/tasks",
            "GET /v1/tasks/{task_id}", "DELETE /v1/tasks/{task_id}");
    static final List<String> ALWAYS_OPEN = List.of("GET /v1/health", "GET /v1/openapi.json", "GET /v1/docs",
            "GET /v1/docs/{asset}", "OPTIONS /{proxy+}", "$default");

    static Osls.Packaged pack(Path dir, String... params) {
        Map<String, String> all = new HashMap<>(Osls.STAGING_NAMES);
        for (int i = 0; i + 1 < params.length; i += 2) {
            all.put(params[i], params[i + 1]);
        }
        return Osls.pack(dir, "staging", all, Map.of(), "--region", "eu-west-1");
    }

    static Osls.Packaged packed(Path dir, String... params) {
        Osls.Packaged p = pack(dir, params);
        assertThat(p.exitCode()).as(p.log()).isZero();
        return p;
    }

    /** Route key -> its properties. */
    static Map<String, JsonNode> routes(Osls.Packaged p) {
        Map<String, JsonNode> routes = new TreeMap<>();
        p.resources().forEach(r -> {
            if ("AWS::ApiGatewayV2::Route".equals(r.get("Type").asText())) {
                routes.put(r.at("/Properties/RouteKey").asText(), r.get("Properties"));
            }
        });
        return routes;
    }

    static String authorization(Map<String, JsonNode> routes, String key) {
        assertThat(routes).as("routes").containsKey(key);
        return routes.get(key).path("AuthorizationType").asText("NONE");
    }

    static JsonNode apiEnv(Osls.Packaged p) {
        return p.resources().at("/ApiLambdaFunction/Properties/Environment/Variables");
    }

    static List<JsonNode> authorizers(Osls.Packaged p) {
        List<JsonNode> found = new ArrayList<>();
        p.resources().forEach(r -> {
            if ("AWS::ApiGatewayV2::Authorizer".equals(r.get("Type").asText())) {
                found.add(r.get("Properties"));
            }
        });
        return found;
    }

    @Nested
    class By_default {
        @Test
        void no_route_has_an_authorizer_and_the_app_is_told_none(@TempDir Path dir) {
            Osls.Packaged p = packed(dir);
            Map<String, JsonNode> routes = routes(p);

            for (String key : concat(LISTING, TASK_ROUTES, ALWAYS_OPEN)) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("NONE");
            }
            assertThat(authorizers(p)).isEmpty();
            assertThat(apiEnv(p).get("TASKS_API_AUTH").asText()).isEqualTo("none");
            assertThat(apiEnv(p).get("TASKS_API_AUTH_SCOPE").asText()).isEqualTo("listing");
            assertThat(p.resources().at("/ListenerLambdaFunction/Properties/Environment/Variables").has("TASKS_API_AUTH")).isFalse();
        }
    }

    @Nested
    class With_auth_iam {
        @Test
        void the_listing_routes_take_aws_iam_and_the_seed_routes_none(@TempDir Path dir) {
            Osls.Packaged p = packed(dir, "auth", "iam");
            Map<String, JsonNode> routes = routes(p);

            for (String key : LISTING) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("AWS_IAM");
            }
            for (String key : concat(TASK_ROUTES, ALWAYS_OPEN)) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("NONE");
            }
            assertThat(authorizers(p)).isEmpty();
            assertThat(apiEnv(p).get("TASKS_API_AUTH").asText()).isEqualTo("iam");
        }

        @Test
        void with_the_scope_all_the_seed_routes_take_it_too_but_health_docs_and_preflights_do_not(@TempDir Path dir) {
            Osls.Packaged p = packed(dir, "auth", "iam", "authScope", "all");
            Map<String, JsonNode> routes = routes(p);

            for (String key : concat(LISTING, TASK_ROUTES)) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("AWS_IAM");
            }
            for (String key : ALWAYS_OPEN) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("NONE");
            }
            assertThat(apiEnv(p).get("TASKS_API_AUTH_SCOPE").asText()).isEqualTo("all");
        }
    }

    @Nested
    class With_auth_jwt {
        @Test
        void a_jwt_authorizer_with_the_issuer_and_audience_guards_the_listing_routes(@TempDir Path dir) {
            Osls.Packaged p = packed(dir, "auth", "jwt", "jwtIssuer", "https://issuer.example.com/", "jwtAudience", "longtasks-ops");
            Map<String, JsonNode> routes = routes(p);

            List<JsonNode> authorizers = authorizers(p);
            assertThat(authorizers).hasSize(1);
            JsonNode jwt = authorizers.getFirst();
            assertThat(jwt.get("AuthorizerType").asText()).isEqualTo("JWT");
            assertThat(jwt.at("/JwtConfiguration/Issuer").asText()).isEqualTo("https://issuer.example.com/");
            assertThat(jwt.at("/JwtConfiguration/Audience")).isEqualTo(Json.read("[\"longtasks-ops\"]"));
            assertThat(jwt.get("IdentitySource")).isEqualTo(Json.read("[\"$request.header.Authorization\"]"));
            for (String key : LISTING) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("JWT");
                assertThat(routes.get(key).get("AuthorizerId")).isEqualTo(Json.read("{\"Ref\":\"HttpApiAuthorizerTasksJwt\"}"));
            }
            for (String key : concat(TASK_ROUTES, ALWAYS_OPEN)) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("NONE");
            }
            assertThat(apiEnv(p).get("TASKS_API_AUTH").asText()).isEqualTo("jwt");
        }

        @Test
        void without_an_issuer_the_package_stops_and_names_it(@TempDir Path dir) {
            Osls.Packaged p = pack(dir, "auth", "jwt");

            assertThat(p.exitCode()).isNotZero();
            assertThat(p.log()).contains("issuerUrl");
        }
    }

    /** The dashboard's files are served without the authorizer; the routes the page reads keep it. */
    @Nested
    class The_dashboard {
        static final List<String> DASHBOARD = List.of("GET /v1/ui", "GET /v1/ui/{asset}");

        @Test
        void is_routed_without_an_authorizer_even_when_every_task_route_has_one(@TempDir Path dir) {
            Osls.Packaged p = packed(dir, "auth", "jwt", "authScope", "all", "jwtIssuer", "https://issuer.example.com/",
                    "jwtAudience", "longtasks-ops");
            Map<String, JsonNode> routes = routes(p);

            for (String key : DASHBOARD) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("NONE");
                assertThat(routes.get(key).path("Target").toString()).as(key).contains("HttpApiIntegrationApi");
            }
            for (String key : concat(LISTING, TASK_ROUTES)) {
                assertThat(authorization(routes, key)).as(key).isEqualTo("JWT");
            }
        }
    }

    @Nested
    class Mistakes {
        @Test
        void an_unknown_auth_or_the_scope_all_without_auth_stops_the_package(@TempDir Path dir) {
            Osls.Packaged unknown = pack(dir.resolve("unknown"), "auth", "cognito");
            Osls.Packaged allWithoutAuth = pack(dir.resolve("all"), "authScope", "all");

            assertThat(unknown.exitCode()).isNotZero();
            assertThat(unknown.log()).contains("custom.listingAuthorizer");
            assertThat(allWithoutAuth.exitCode()).isNotZero();
            assertThat(allWithoutAuth.log()).contains("custom.taskAuthorizer");
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
