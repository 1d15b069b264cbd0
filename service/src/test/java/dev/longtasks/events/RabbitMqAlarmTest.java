package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.testing.BrokerAlarm;
import dev.longtasks.testing.LocalServices;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing while the broker raises a memory alarm (node-wide: it blocks every publishing
 * connection). The alarm is on for a few seconds only and always lifted, because other test runs
 * share this broker.
 */
class RabbitMqAlarmTest {
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(2);

    private RabbitMqSettings settings;
    private RabbitMqEventBus bus;
    private HttpServer http;
    private ExecutorService httpThreads;

    @BeforeEach
    void connect() throws Exception {
        LocalServices.requireRabbitMq();
        BrokerAlarm.requireControl();
        String run = "longtasks-test-" + UUID.randomUUID().toString().substring(0, 8);
        settings = new RabbitMqSettings(LocalServices.amqpUrl(), run + ".events", run + ".tasks", CONFIRM_TIMEOUT, 1, 10);
        bus = RabbitMqEventBus.connect(settings);
        // What shares the JVM with the publisher in a self-hosted process: an HTTP server on virtual threads.
        httpThreads = Executors.newVirtualThreadPerTaskExecutor();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(httpThreads);
        http.createContext("/", exchange -> {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void cleanUp() {
        BrokerAlarm.lift();
        if (http != null) {
            http.stop(0);
            httpThreads.shutdownNow();
        }
        if (bus != null) {
            bus.deleteTopology();
            bus.shutdown(Duration.ofSeconds(5));
        }
    }

    @AfterAll
    static void liftTheAlarm() {
        BrokerAlarm.lift();
    }

    @Test
    @SuppressWarnings("try") // the alarm only has to be on (and lifted) around the body
    void publishes_during_a_memory_alarm_fail_within_the_confirm_timeout_and_http_keeps_answering() throws Exception {
        bus.publish(TaskEvent.submitted(UUID.randomUUID().toString(), "noop", "test")); // connected and confirming
        List<CompletableFuture<Throwable>> publishes = new ArrayList<>();
        List<Integer> answers = new ArrayList<>();
        try (BrokerAlarm alarm = BrokerAlarm.raise(Duration.ofSeconds(15))) {
            // A batch large enough to fill the socket buffers once the broker stops reading, and
            // single submits from other threads behind it.
            List<TaskEvent> batch = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                batch.add(TaskEvent.submitted(UUID.randomUUID().toString(), "noop", "test"));
            }
            publishes.add(publishOnVirtualThread(() -> bus.publishAll(batch)));
            for (int i = 0; i < 20; i++) {
                publishes.add(publishOnVirtualThread(() -> bus.publish(TaskEvent.submitted(UUID.randomUUID().toString(), "noop", "test"))));
            }
            // While they wait (bounded, generously: they must end on their own, not when the alarm
            // is lifted), the HTTP server in this JVM keeps answering.
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI ping = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
            long limit = System.nanoTime() + CONFIRM_TIMEOUT.plusSeconds(4).toNanos();
            do {
                answers.add(client.send(HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                Thread.sleep(100);
            } while (publishes.stream().anyMatch(p -> !p.isDone()) && System.nanoTime() < limit);
            assertThat(publishes).as("publishes that ended while the alarm was on").allMatch(CompletableFuture::isDone);
            assertThat(publishes).allSatisfy(p -> assertThat(p.join()).isInstanceOf(EventPublishException.class)
                    .hasMessageContaining("blocking publishers (low on memory)"));
        }
        assertThat(answers).containsOnly(200);
        // Once the alarm is gone, publishing works again.
        bus.publish(TaskEvent.submitted(UUID.randomUUID().toString(), "noop", "test"));
    }

    private static CompletableFuture<Throwable> publishOnVirtualThread(Runnable publish) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                publish.run();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        return outcome;
    }
}
