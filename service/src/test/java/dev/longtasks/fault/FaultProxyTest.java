package dev.longtasks.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

class FaultProxyTest {

    @Nested
    class Over_tcp {
        private ServerSocket echo;
        private FaultProxy proxy;

        @BeforeEach
        void start() throws IOException {
            echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = echo.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException ignored) {
                                // the test reset it
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            proxy = FaultProxy.tcp("127.0.0.1", echo.getLocalPort());
        }

        @AfterEach
        void stop() throws IOException {
            proxy.close();
            echo.close();
        }

        private Socket connect() throws IOException {
            Socket s = new Socket("127.0.0.1", proxy.port());
            s.setSoTimeout(2_000);
            return s;
        }

        private static String roundTrip(Socket s, String text) throws IOException {
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            byte[] got = s.getInputStream().readNBytes(text.length());
            return new String(got, StandardCharsets.UTF_8);
        }

        @Test
        void passes_bytes_through_unchanged_in_both_directions() throws IOException {
            try (Socket s = connect()) {
                assertThat(roundTrip(s, "hello through the proxy")).isEqualTo("hello through the proxy");
            }
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }

        @Test
        void latency_delays_each_chunk_but_delivers_it_intact() throws IOException {
            proxy.set(Fault.latency(Duration.ofMillis(150)));
            try (Socket s = connect()) {
                long start = System.nanoTime();
                assertThat(roundTrip(s, "slow")).isEqualTo("slow");
                // one delay on the way in and one on the way out: a lower bound, never a ceiling
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            }
        }

        @Test
        void reset_kills_open_connections_with_a_connection_reset() throws IOException {
            try (Socket s = connect()) {
                assertThat(roundTrip(s, "before")).isEqualTo("before");
                proxy.set(Fault.reset());
                assertThatThrownBy(() -> {
                    s.getOutputStream().write("after".getBytes(StandardCharsets.UTF_8));
                    // the proxy's RST arrives; a read or the next write reports it
                    int r = s.getInputStream().read();
                    if (r < 0) {
                        throw new IOException("closed with FIN, not RST");
                    }
                }).isInstanceOf(SocketException.class);
            }
            assertThat(proxy.connectionsReset()).isGreaterThanOrEqualTo(1);
        }

        @Test
        void reset_mode_refuses_new_connections_until_it_is_switched_back() throws IOException {
            proxy.set(Fault.reset());
            try (Socket s = connect()) {
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
            }
            proxy.set(Fault.passThrough());
            try (Socket s = connect()) {
                assertThat(roundTrip(s, "back")).isEqualTo("back");
            }
        }

        @Test
        void black_hole_accepts_but_never_answers_and_its_connections_stay_dead() throws Exception {
            proxy.blackHoleFor(Duration.ofMillis(300)).join();
            // switched back by now: a new connection works ...
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "ok")).isEqualTo("ok");
            }
            proxy.set(Fault.blackHole());
            try (Socket s = connect()) {
                s.setSoTimeout(300);
                s.getOutputStream().write("anyone?".getBytes(StandardCharsets.UTF_8));
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                proxy.set(Fault.passThrough());
                // ... but one that met the black hole never hears back
                s.getOutputStream().write("still there?".getBytes(StandardCharsets.UTF_8));
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            }
        }

        @Test
        void refusing_for_a_while_recovers_by_itself() throws Exception {
            Thread restore = proxy.resetAndRefuseFor(Duration.ofMillis(200));
            try (Socket s = connect()) {
                assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketException.class);
            }
            restore.join();
            try (Socket s = connect()) {
                assertThat(roundTrip(s, "recovered")).isEqualTo("recovered");
            }
        }

        @Test
        void http_faults_need_the_http_proxy() {
            assertThatThrownBy(() -> proxy.failNext(1, HttpFault.serviceUnavailable()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class Over_http {
        private HttpServer upstream;
        private FaultProxy proxy;
        private final AtomicInteger upstreamRequests = new AtomicInteger();
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        @BeforeEach
        void start() throws IOException {
            upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            upstream.createContext("/", ex -> {
                upstreamRequests.incrementAndGet();
                byte[] in = ex.getRequestBody().readAllBytes();
                boolean chunked = ex.getRequestURI().getPath().equals("/chunked");
                String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
                byte[] out = target != null && target.endsWith("ListTables")
                        ? "{\"TableNames\":[\"tasks\"]}".getBytes(StandardCharsets.UTF_8)
                        : ("echo:" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                ex.sendResponseHeaders(200, chunked ? 0 : out.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            });
            upstream.start();
            proxy = FaultProxy.http("127.0.0.1", upstream.getAddress().getPort());
        }

        @AfterEach
        void stop() {
            proxy.close();
            upstream.stop(0);
        }

        private HttpResponse<String> post(String path, String body) throws Exception {
            return client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void forwards_requests_and_keep_alive_responses_of_both_framings() throws Exception {
            assertThat(post("/a", "one").body()).isEqualTo("echo:one");
            assertThat(post("/chunked", "two").body()).isEqualTo("echo:two");
            assertThat(post("/a", "three").body()).isEqualTo("echo:three");
            assertThat(proxy.requestsForwarded()).isEqualTo(3);
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }

        @Test
        void answers_the_next_n_requests_with_the_injected_error_and_then_forwards_again() throws Exception {
            proxy.failNext(2, HttpFault.serviceUnavailable());
            assertThat(post("/a", "x").statusCode()).isEqualTo(503);
            assertThat(post("/a", "x").statusCode()).isEqualTo(503);
            HttpResponse<String> third = post("/a", "x");
            assertThat(third.statusCode()).isEqualTo(200);
            assertThat(upstreamRequests.get()).isEqualTo(1);
            assertThat(proxy.requestsFaulted()).isEqualTo(2);
        }

        @Test
        void internal_server_error_is_a_500() throws Exception {
            proxy.failNext(1, HttpFault.internalServerError());
            assertThat(post("/a", "x").statusCode()).isEqualTo(500);
        }

        private DynamoDbClient dynamo(int retries) {
            return DynamoDbClient.builder()
                    .endpointOverride(URI.create(proxy.endpoint()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)
                            .retryStrategy(b -> b.maxAttempts(retries + 1)))
                    .build();
        }

        @Test
        void the_aws_sdk_reads_the_injected_throttle_as_provisioned_throughput_exceeded() {
            proxy.failMatching("ListTables", 1, HttpFault.provisionedThroughputExceeded());
            try (DynamoDbClient ddb = dynamo(0)) {
                assertThatThrownBy(ddb::listTables).isInstanceOf(ProvisionedThroughputExceededException.class);
                assertThat(ddb.listTables().tableNames()).containsExactly("tasks");
            }
        }

        @Test
        void the_aws_sdk_retries_throttling_by_itself_and_succeeds() {
            proxy.failMatching("ListTables", 2, HttpFault.throttling());
            try (DynamoDbClient ddb = dynamo(3)) {
                assertThat(ddb.listTables().tableNames()).containsExactly("tasks");
            }
            assertThat(proxy.requestsFaulted()).isEqualTo(2);
            assertThat(proxy.requestsForwarded()).isEqualTo(1);
        }

        @Test
        void a_throttling_exception_is_a_throttling_error_to_the_sdk() {
            proxy.failNext(1, HttpFault.throttling());
            try (DynamoDbClient ddb = dynamo(0)) {
                assertThatThrownBy(ddb::listTables).isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    assertThat(e.isThrottlingException()).isTrue();
                });
            }
        }

        @Test
        void target_rules_leave_other_operations_alone() throws Exception {
            proxy.failMatching("DynamoDB_20120810.UpdateItem", 5, HttpFault.provisionedThroughputExceeded());
            assertThat(post("/a", "not dynamo").statusCode()).isEqualTo(200);
            try (DynamoDbClient ddb = dynamo(0)) {
                assertThat(ddb.listTables().tableNames()).containsExactly("tasks");
            }
            assertThat(proxy.requestsFaulted()).isZero();
        }

        @Test
        void reset_mode_breaks_http_requests_too() throws Exception {
            proxy.set(Fault.reset());
            assertThatThrownBy(() -> post("/a", "x")).isInstanceOf(IOException.class);
            proxy.set(Fault.passThrough());
            assertThat(post("/a", "x").statusCode()).isEqualTo(200);
        }

        @Test
        void the_head_reader_rejects_a_truncated_head() {
            InputStream truncated = new ByteArrayInputStream("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> HttpMessage.readRequest(truncated)).isInstanceOf(IOException.class);
        }
    }
}
