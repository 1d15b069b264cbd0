package dev.longtasks.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.longtasks.events.RabbitMqSettings;
import dev.longtasks.store.RedisKeysAccess;
import dev.longtasks.store.RedisTaskStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis and RabbitMQ servers the integration tests use (REDIS_URL / AMQP_URL, defaulting to
 * the standard loopback ports). When one is down the test fails loudly under CI=true and is
 * skipped with the reason otherwise.
 */
public final class LocalServices {
    private LocalServices() {
    }

    public static String redisUrl() {
        return env("REDIS_URL", "redis://127.0.0.1:6379");
    }

    public static String amqpUrl() {
        return env("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672");
    }

    /**
     * The environment of a self-hosted process on these servers (Redis store, RabbitMQ bus) whose
     * keys, exchange and queues are named after {@code run}, so that runs never meet.
     */
    public static Map<String, String> selfHostedEnv(String run, int workers) {
        Map<String, String> env = new HashMap<>();
        env.put("TASKS_STORE", "redis");
        env.put("TASKS_BUS", "rabbitmq");
        env.put("REDIS_URL", redisUrl());
        env.put("AMQP_URL", amqpUrl());
        env.put("TASKS_REDIS_PREFIX", run + ":");
        env.put("TASKS_AMQP_EXCHANGE", run + ".events");
        env.put("TASKS_AMQP_QUEUE", run + ".tasks");
        env.put("TASKS_WORKERS", Integer.toString(workers));
        return env;
    }

    /** Deletes what the processes of {@link #selfHostedEnv} declared and wrote for {@code run}. */
    public static void deleteSelfHosted(String run) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(amqpUrl());
        RabbitMqSettings names = RabbitMqSettings.defaults().withNames(run + ".events", run + ".tasks");
        try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
            for (String q : names.queues()) {
                ch.queueDelete(q);
            }
            ch.exchangeDelete(names.exchange());
            ch.exchangeDelete(names.deadLetterExchange());
        }
        RedisKeysAccess.deleteAll(redisUrl(), run + ":");
    }

    /**
     * A Redis store that is already closed: every call fails the way it does when Redis is
     * unreachable ({@code TaskStoreException} naming host and port). Needs Redis to build.
     */
    public static RedisTaskStore closedRedisStore() {
        requireRedis();
        RedisTaskStore store = RedisTaskStore.builder().url(redisUrl())
                .keyPrefix("longtasks-test-" + UUID.randomUUID() + ":").build();
        store.close();
        return store;
    }

    public static void requireRedis() {
        require("Redis", redisUrl(), 6379);
    }

    public static void requireRabbitMq() {
        require("RabbitMQ", amqpUrl(), 5672);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    private static void require(String what, String url, int defaultPort) {
        URI uri = URI.create(url);
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 1000);
        } catch (IOException e) {
            String reason = what + " is not reachable at " + uri.getHost() + ":" + port + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(reason + "; CI=true needs it running");
            }
            Assumptions.abort(reason + "; skipped (set CI=true to make this a failure)");
        }
    }
}
