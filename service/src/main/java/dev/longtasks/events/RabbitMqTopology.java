package dev.longtasks.events;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Declares the exchanges and queues (idempotent; the client re-declares them after a reconnect).
 * <pre>
 *  publish task.* ──> [exchange, topic] ──task.submitted──> [queue, quorum] ──> workers
 *                                                              │  ▲
 *          delivery limit passed / retries used up             │  └── [queue.retry.1s] ... [queue.retry.1024s]
 *                                                              ▼       one TTL per queue, dead-letter
 *                                  [exchange.dlx, fanout] ──> [queue.dead]     back to the queue
 * </pre>
 * A retry goes to the longest tier that does not exceed its delay (the shortest for less than a
 * second). An event that comes back before its lease has passed is held off again with what is
 * left, so a 40 s delay takes 32 s + 8 s: at most one hop per tier, each a cheap look at the store.
 * The work queue is a quorum queue because only quorum queues count deliveries: a message whose
 * consumer keeps dying (the connection drops before the ack) is dead-lettered after
 * {@code deliveryLimit} deliveries instead of looping forever. Quorum queues are durable and
 * replicated by design, which is what "no message lost" needs.
 */
final class RabbitMqTopology {
    private RabbitMqTopology() {
    }

    static void declare(Channel ch, RabbitMqSettings s) throws IOException {
        ch.exchangeDeclare(s.exchange(), BuiltinExchangeType.TOPIC, true);
        ch.exchangeDeclare(s.deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        ch.queueDeclare(s.deadLetterQueue(), true, false, false, Map.of("x-queue-type", "quorum"));
        ch.queueBind(s.deadLetterQueue(), s.deadLetterExchange(), "");
        ch.queueDeclare(s.queue(), true, false, false, Map.of(
                "x-queue-type", "quorum",
                "x-delivery-limit", s.deliveryLimit(),
                "x-dead-letter-exchange", s.deadLetterExchange()));
        ch.queueBind(s.queue(), s.exchange(), "task.submitted");
        // Expired retries go back through the default exchange straight to the work queue, so other
        // queues bound to task.submitted do not see them a second time.
        for (Duration tier : RabbitMqSettings.RETRY_TIERS) {
            ch.queueDeclare(s.retryQueue(tier), true, false, false, Map.of(
                    "x-message-ttl", tier.toMillis(),
                    "x-dead-letter-exchange", "",
                    "x-dead-letter-routing-key", s.queue()));
        }
    }

    /** The tier a retry waits in: the longest one not above {@code delayMillis}, at least the shortest. */
    static Duration retryTier(long delayMillis) {
        Duration tier = RabbitMqSettings.RETRY_TIERS.getFirst();
        for (Duration t : RabbitMqSettings.RETRY_TIERS) {
            if (t.toMillis() <= delayMillis) {
                tier = t;
            }
        }
        return tier;
    }

    /** Removes everything {@link #declare} made (tests and benchmarks use unique names per run). */
    static void delete(Channel ch, RabbitMqSettings s) throws IOException {
        for (String queue : s.queues()) {
            ch.queueDelete(queue);
        }
        ch.exchangeDelete(s.exchange());
        ch.exchangeDelete(s.deadLetterExchange());
    }
}
