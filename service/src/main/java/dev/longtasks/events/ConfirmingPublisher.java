package dev.longtasks.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.longtasks.task.EventPublishException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes on one confirm-mode channel shared by every caller. Each publish gets a future that
 * the broker's asynchronous ack completes (nack or a return fails it), so many threads can have
 * messages in flight at once and the broker batches its confirms.
 *
 * <p>A message is only reported as sent once the broker confirmed it, which for a persistent
 * message on a durable queue means it is on disk. When the connection drops, every unconfirmed
 * message is failed at once and {@link #send} retries it on the recovered channel until the
 * timeout: a message may then arrive twice, never zero times. Duplicates are harmless because
 * the store's claim lets only one delivery run a task.
 *
 * <p>Writes go through a {@link PublishGate}: one at a time, never into a connection the broker
 * blocks for a resource alarm, and never after the caller's deadline, so a publish during an
 * alarm fails within its timeout instead of hanging in a socket write.
 */
final class ConfirmingPublisher {
    private final Channel channel;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();
    private final Map<String, CompletableFuture<Void>> byMessageId = new ConcurrentHashMap<>();
    private final PublishGate gate;
    private final String where;
    private final String idPrefix = UUID.randomUUID() + "-";
    private final AtomicLong returnIds = new AtomicLong();

    /** The broker will not take this message (nack or unroutable); retrying will not help. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    ConfirmingPublisher(Connection connection, String where) throws IOException {
        this.where = where;
        this.gate = new PublishGate(connection, where);
        this.channel = connection.createChannel();
        channel.confirmSelect();
        channel.addConfirmListener(
                (tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) -> settle(tag, multiple, new Refused("RabbitMQ at " + where + " refused the message (nack)")));
        channel.addReturnListener(r -> {
            CompletableFuture<Void> f = byMessageId.get(r.getProperties().getMessageId());
            if (f != null) {
                f.completeExceptionally(new Refused("no queue is bound to routing key '" + r.getRoutingKey()
                        + "' on exchange '" + r.getExchange() + "' (" + r.getReplyText() + ")"));
            }
        });
        // The old channel's sequence numbers die with it; fail them so their senders retry.
        channel.addShutdownListener(cause -> failAll(cause));
    }

    private void settle(long tag, boolean multiple, Exception failure) {
        Map<Long, CompletableFuture<Void>> done = multiple ? unconfirmed.headMap(tag, true) : subMap(tag);
        for (CompletableFuture<Void> f : new ArrayList<>(done.values())) {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        }
        done.clear();
    }

    private Map<Long, CompletableFuture<Void>> subMap(long tag) {
        return unconfirmed.subMap(tag, true, tag, true);
    }

    private void failAll(ShutdownSignalException cause) {
        for (CompletableFuture<Void> f : unconfirmed.values()) {
            f.completeExceptionally(cause);
        }
        unconfirmed.clear();
    }

    /**
     * Hands one message to the broker; the future completes when it is confirmed. Throws
     * {@link EventPublishException} when the message could not even be written by the deadline.
     */
    CompletableFuture<Void> start(Message m, long deadlineNanos, long timeoutMillis) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        AMQP.BasicProperties withId = m.props();
        if (m.mandatory()) {
            // A return names no sequence number; this id ties it back to its future.
            String messageId = idPrefix + returnIds.incrementAndGet();
            withId = m.props().builder().messageId(messageId).build();
            byMessageId.put(messageId, f);
            f.whenComplete((v, e) -> byMessageId.remove(messageId));
        }
        try {
            gate.enter(deadlineNanos, timeoutMillis);
        } catch (EventPublishException e) {
            f.completeExceptionally(e); // releases the return id
            throw e;
        }
        try {
            long seq = channel.getNextPublishSeqNo();
            unconfirmed.put(seq, f);
            try {
                channel.basicPublish(m.exchange(), m.routingKey(), m.mandatory(), withId, m.body());
                if (!channel.isOpen()) {
                    // Closed while we published: the shutdown listener may have run before our put.
                    throw new AlreadyClosedException(channel.getCloseReason());
                }
            } catch (IOException | AlreadyClosedException e) {
                unconfirmed.remove(seq);
                f.completeExceptionally(e);
            }
        } finally {
            gate.leave();
        }
        return f;
    }

    /**
     * Publishes and waits for the confirm, retrying through connection loss until {@code timeoutMillis}.
     * Throws {@link EventPublishException} on a refusal or when time runs out.
     */
    void send(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props, byte[] body,
              long timeoutMillis) {
        sendAll(List.of(new Message(exchange, routingKey, mandatory, props, body)), timeoutMillis);
    }

    record Message(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props, byte[] body) {
    }

    /** Publishes a batch, then waits for all confirms; only the unconfirmed ones are sent again. */
    void sendAll(List<Message> messages, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Message> todo = messages;
        Throwable last = null;
        while (!todo.isEmpty()) {
            List<CompletableFuture<Void>> futures = new ArrayList<>(todo.size());
            for (Message m : todo) {
                futures.add(start(m, deadline, timeoutMillis));
            }
            List<Message> again = new ArrayList<>();
            for (int i = 0; i < todo.size(); i++) {
                try {
                    futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Refused refused) {
                        throw new EventPublishException(refused.getMessage(), refused);
                    }
                    last = e.getCause();
                    again.add(todo.get(i));
                } catch (TimeoutException e) {
                    throw new EventPublishException("RabbitMQ at " + where + " did not confirm the message within "
                            + timeoutMillis + " ms" + (last == null ? "" : " (last error: " + last + ")") + gate.blockedNote(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EventPublishException("interrupted while waiting for RabbitMQ's confirm", e);
                }
            }
            todo = again;
            if (!todo.isEmpty()) {
                pauseBeforeRetry(deadline, timeoutMillis, last);
            }
        }
    }

    private void pauseBeforeRetry(long deadline, long timeoutMillis, Throwable last) {
        if (System.nanoTime() >= deadline) {
            throw new EventPublishException("RabbitMQ at " + where + " is unreachable; the message was not confirmed within "
                    + timeoutMillis + " ms (" + last + ")", last);
        }
        try {
            Thread.sleep(100); // the client reconnects in the background; give it a moment
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException("interrupted while waiting for RabbitMQ to come back", e);
        }
    }

    void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | ShutdownSignalException e) {
            // closing anyway
        }
    }
}
