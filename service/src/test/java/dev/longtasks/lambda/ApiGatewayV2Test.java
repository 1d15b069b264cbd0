package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.json.Json;
import dev.longtasks.testing.FixedContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The v2 event adapter over a tiny HttpApi that records what it was given. */
class ApiGatewayV2Test {

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ApiGatewayV2Test.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }

    static JsonNode invoke(ApiHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, FixedContext.standard());
        return Json.MAPPER.readTree(out.toByteArray());
    }

    @Nested
    class Requests {
        @Test
        void a_base64_post_becomes_method_path_headers_cookies_and_decoded_body() throws IOException {
            AtomicReference<HttpRequest> seen = new AtomicReference<>();
            ApiHandler handler = new ApiHandler(r -> {
                seen.set(r);
                return new HttpResponse(202, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
            });
            invoke(handler, fixture("http-api-post-process-task.json"));
            HttpRequest r = seen.get();
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/v1/example/process-task");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("cookie")).isEqualTo("session=abc; theme=dark");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"data\":{\"steps\":2,\"step_ms\":1}}");
            assertThat(r.sourceIp()).isEqualTo("203.0.113.7");
        }

        @Test
        void the_raw_query_string_is_decoded_and_headers_keep_their_commas() throws IOException {
            AtomicReference<HttpRequest> seen = new AtomicReference<>();
            ApiHandler handler = new ApiHandler(r -> {
                seen.set(r);
                return new HttpResponse(200, Map.of(), new byte[0]);
            });
            invoke(handler, fixture("http-api-get-task.json"));
            assertThat(seen.get().query()).containsEntry("x", List.of("a b")).containsEntry("verbose", List.of("1"));
            assertThat(seen.get().header("Accept-Encoding")).isEqualTo("gzip, deflate, br");
            assertThat(seen.get().method()).isEqualTo("GET");
        }
    }

    @Nested
    class Responses {
        @Test
        void json_goes_back_as_text_with_status_and_headers() throws IOException {
            ApiHandler handler = new ApiHandler(r -> new HttpResponse(201,
                    Map.of("Content-Type", "application/problem+json", "Location", "/v1/tasks/x"),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
            JsonNode out = invoke(handler, fixture("http-api-get-task.json"));
            assertThat(out.get("statusCode").asInt()).isEqualTo(201);
            assertThat(out.at("/headers/Location").asText()).isEqualTo("/v1/tasks/x");
            assertThat(out.get("body").asText()).isEqualTo("{\"a\":1}");
            assertThat(out.get("isBase64Encoded").asBoolean()).isFalse();
        }

        @Test
        void gzip_and_binary_bodies_go_back_base64() throws IOException {
            byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0};
            ApiHandler gzip = new ApiHandler(r -> new HttpResponse(200,
                    Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), gz));
            JsonNode out = invoke(gzip, fixture("http-api-get-task.json"));
            assertThat(out.get("isBase64Encoded").asBoolean()).isTrue();
            assertThat(Base64.getDecoder().decode(out.get("body").asText())).isEqualTo(gz);
            ApiHandler png = new ApiHandler(r -> new HttpResponse(200, Map.of("Content-Type", "image/png"), new byte[] {1, 2}));
            assertThat(invoke(png, fixture("http-api-get-task.json")).get("isBase64Encoded").asBoolean()).isTrue();
        }
    }
}
