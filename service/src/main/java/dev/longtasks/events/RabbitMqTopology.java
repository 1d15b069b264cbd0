package dev.longtasks.events;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * Declares the exchanges and queues (idempotent; the client re-declares them after a reconnect).
 * <pre>
 *  publish task.* ──> [exchange, topic] ──task.submitted──> [queue, quorum] ──> workers
 *                                                              │  ▲
 *          delivery limit passed / retries used up             │  └── [queue.retry] per-message TTL,
 *                                                              ▼       dead-letters back to the queue
 *                                  [exchange.dlx, fanout] ──> [queue.dead]
 * </pre>
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
        ch.queueDeclare(s.retryQueue(), true, false, false, Map.of(
                "x-dead-letter-exchange", "",
                "x-dead-letter-routing-key", s.queue()));
    }

    /** Removes everything {@link #declare} made (tests and benchmarks use unique names per run). */
    static void delete(Channel ch, RabbitMqSettings s) throws IOException {
        ch.queueDelete(s.queue());
        ch.queueDelete(s.retryQueue());
        ch.queueDelete(s.deadLetterQueue());
        ch.exchangeDelete(s.exchange());
        ch.exchangeDelete(s.deadLetterExchange());
    }
}
