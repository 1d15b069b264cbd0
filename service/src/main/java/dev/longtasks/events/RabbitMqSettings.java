package dev.longtasks.events;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the RabbitMQ bus runs. Every other name derives from the exchange and queue:
 * {@code <queue>.retry} holds delayed retries, {@code <exchange>.dlx} and {@code <queue>.dead}
 * take messages that keep failing.
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

    public String retryQueue() {
        return queue + ".retry";
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
