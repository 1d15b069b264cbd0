package dev.longtasks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.longtasks.testing.AwsTestEnv;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The two kinds of priming call, on real SDK clients from {@link AwsClients}. */
class PrimingCallsTest {

    @Nested
    class Not_sent {
        @Test
        void a_write_is_stopped_before_the_wire_and_nothing_is_stored() {
            try (AwsClients clients = AwsTestEnv.clients()) {
                String table = AwsTestEnv.createTable(clients.dynamoDb());
                Map<String, AttributeValue> item = Map.of("task_id", AttributeValue.fromS("primed"));

                boolean stopped = PrimingCalls.notSent(() -> clients.dynamoDb().putItem(r -> r.tableName(table).item(item)));

                assertThat(stopped).isTrue();
                assertThat(clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                        .key(item)).hasItem()).isFalse();
                // Outside the scope the same client writes for real.
                clients.dynamoDb().putItem(r -> r.tableName(table).item(item));
                assertThat(clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                        .key(item)).hasItem()).isTrue();
                clients.dynamoDb().deleteTable(r -> r.tableName(table));
            }
        }

        @Test
        void code_that_calls_no_aws_service_is_reported_as_such() {
            assertThat(PrimingCalls.notSent(() -> { })).isFalse();
        }

        @Test
        void any_other_failure_is_rethrown() {
            assertThatThrownBy(() -> PrimingCalls.notSent(() -> {
                throw new IllegalStateException("not a priming stop");
            })).isInstanceOf(IllegalStateException.class).hasMessage("not a priming stop");
        }
    }

    @Nested
    class Closing_connections {
        HttpServer server;
        final List<String> connectionHeaders = new CopyOnWriteArrayList<>();

        @BeforeEach
        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                connectionHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Connection")));
                byte[] body = "{\"__type\":\"ValidationException\",\"message\":\"no\"}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                ex.sendResponseHeaders(400, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
        }

        @AfterEach
        void stop() {
            server.stop(0);
        }

        @Test
        void a_read_asks_the_server_to_close_its_connection_and_other_calls_keep_theirs() {
            Map<String, String> env = AwsTestEnv.env();
            env.put("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + server.getAddress().getPort());
            try (AwsClients clients = new AwsClients(env)) {
                assertThatThrownBy(() -> PrimingCalls.closingConnections(
                        () -> clients.ssm().getParameter(r -> r.name("/x")))).isInstanceOf(SdkException.class);
                assertThatThrownBy(() -> clients.ssm().getParameter(r -> r.name("/x"))).isInstanceOf(SdkException.class);
            }
            assertThat(connectionHeaders).containsExactly("close", "keep-alive");
        }
    }
}
