package dev.longtasks.events;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Where and how the RabbitMQ bus runs. Every other name derives from the exchange and queue:
 * {@code <queue>.retry.<n>s} hold delayed retries, one queue per delay tier ({@link #RETRY_TIERS}),
 * {@code <exchange>.dlx} and {@code <queue>.dead} take messages that keep failing.
 *
 * @param url {@code AMQP_URL}, default {@code amqp://guest:guest@127.0.0.1:5672}
 * @param exchange {@code TASKS_AMQP_EXCHANGE}: the durable topic exchange of system events
 * @param queue {@code TASKS_AMQP_QUEUE}: the durable work queue bound to {@code task.submitted}
 * @param confirmTimeout how long a publish waits for the broker's confirm (through a reconnect)
 * @param maxRetries infrastructure retries of one event before it is dead-lettered
 * @param deliveryLimit broker-side redeliveries (consumer crashes) before it is dead-lettered
 */
public record RabbitMqSettings(String url, String exchange, String queue, Duration confirmTimeout,
                               int maxRetries, int deliveryLimit) {
    public static final String DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";
    /**
     * The retry delays, one queue each: 1 s, 2 s, 4 s, ... 1024 s. Every message in a tier's queue
     * waits the same time, so the head always expires first and a short delay never waits behind
     * a long one (RabbitMQ expires per-message TTLs only at the head of a queue).
     */
    public static final List<Duration> RETRY_TIERS =
            IntStream.rangeClosed(0, 10).mapToObj(i -> Duration.ofSeconds(1L << i)).toList();

    public RabbitMqSettings {
        Objects.requireNonNull(url, "url");
        URI uri = URI.create(url);
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("AMQP_URL=" + url + " is not an AMQP URL; use amqp://user:password@host:port[/vhost]");
        }
        requireName("exchange", exchange);
        requireName("queue", queue);
        if (confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("confirmTimeout must be positive, was " + confirmTimeout);
        }
        if (maxRetries < 0 || deliveryLimit < 1) {
            throw new IllegalArgumentException("maxRetries must be >= 0 and deliveryLimit >= 1");
        }
    }

    private static void requireName(String what, String name) {
        if (name == null || name.isBlank() || name.length() > 200 || name.startsWith("amq.")) {
            throw new IllegalArgumentException("RabbitMQ " + what + " name must be 1..200 characters and not start with 'amq.', was '" + name + "'");
        }
    }

    public static RabbitMqSettings defaults() {
        return new RabbitMqSettings(DEFAULT_URL, "longtasks.events", "longtasks.tasks", Duration.ofSeconds(10), 20, 10);
    }

    /** Reads {@code AMQP_URL}, {@code TASKS_AMQP_EXCHANGE} and {@code TASKS_AMQP_QUEUE}. */
    public static RabbitMqSettings fromEnv(Map<String, String> env) {
        RabbitMqSettings d = defaults();
        return new RabbitMqSettings(
                nonBlank(env.get("AMQP_URL"), d.url()),
                nonBlank(env.get("TASKS_AMQP_EXCHANGE"), d.exchange()),
                nonBlank(env.get("TASKS_AMQP_QUEUE"), d.queue()),
                d.confirmTimeout(), d.maxRetries(), d.deliveryLimit());
    }

    private static String nonBlank(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    public RabbitMqSettings withNames(String newExchange, String newQueue) {
        return new RabbitMqSettings(url, newExchange, newQueue, confirmTimeout, maxRetries, deliveryLimit);
    }

    public RabbitMqSettings withLimits(int newMaxRetries, int newDeliveryLimit) {
        return new RabbitMqSettings(url, exchange, queue, confirmTimeout, newMaxRetries, newDeliveryLimit);
    }

    /** The queue of one retry tier: {@code <queue>.retry.<seconds>s}. */
    public String retryQueue(Duration tier) {
        return queue + ".retry." + tier.toSeconds() + "s";
    }

    public List<String> retryQueues() {
        return RETRY_TIERS.stream().map(this::retryQueue).toList();
    }

    /**
     * The one retry queue (per-message TTLs) of versions before the tiers. No longer declared or
     * published to; what it still holds expires into the work queue by its own arguments.
     */
    public String legacyRetryQueue() {
        return queue + ".retry";
    }

    /** Every queue of this bus, the legacy retry queue included: what a clean-up deletes. */
    public List<String> queues() {
        List<String> all = new ArrayList<>(List.of(queue, deadLetterQueue(), legacyRetryQueue()));
        all.addAll(retryQueues());
        return all;
    }

    public String deadLetterExchange() {
        return exchange + ".dlx";
    }

    public String deadLetterQueue() {
        return queue + ".dead";
    }

    /** host:port for messages, without the credentials. */
    public String where() {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "amqps".equals(uri.getScheme()) ? 5671 : 5672;
        return uri.getHost() + ":" + port;
    }
}
