package dev.longtasks.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventSource;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskStoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code task.submitted} events and drives the runner, {@code workers} at a time
 * ({@code basicQos(workers)} bounds what the broker hands this process).
 *
 * <p>A message is acked only once the task's state is recorded, so a worker that dies mid-task
 * leaves its message unacked and the broker redelivers it. What happens to a delivery:
 * <ul>
 *   <li>Finished, NothingToDo, Ignored, LostLease: the store has the answer; ack.</li>
 *   <li>HeldElsewhere: another claim's lease is live (often our own crashed predecessor). The
 *       event is republished to a retry queue whose delay ends about when the lease does (see
 *       {@link RabbitMqTopology} for the tiers), and dead-letters back to the work queue then.
 *       This frees the worker at once, where nack-and-sleep would hold a prefetch slot for a
 *       whole lease.</li>
 *   <li>TaskStoreException (Redis down) or another surprise: retried the same way with
 *       exponential backoff; after {@code maxRetries} the message goes to the dead-letter queue.
 *       The consumer also pauses with backoff before it lets go of the delivery, so that an outage
 *       slows the whole source down instead of cycling every message through the retry queues,
 *       and a run of failures is logged once per interval ({@link FailureBackoff}).</li>
 * </ul>
 * The retry is published with a confirm before the original is acked: at worst the event exists
 * twice for a moment, never zero times.
 */
public final class RabbitMqEventSource implements EventSource {
    private static final Logger log = LoggerFactory.getLogger(RabbitMqEventSource.class);
    static final String RETRIES_HEADER = "x-longtasks-retries";
    static final String REASON_HEADER = "x-longtasks-dead-reason";
    private static final long LEASE_SLACK_MS = 250;

    private final RabbitMqSettings settings;
    private final ConfirmingPublisher publisher;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final FailureBackoff runs;
    private final FailureBackoff moves;
    private final FailureBackoff channels;
    private volatile Function<TaskEvent, RunOutcome> runner;
    private volatile Connection connection;
    private volatile int workers;
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean stopping;

    /** Retries and dead letters go out through {@code publisher}, the bus's own confirming publisher. */
    RabbitMqEventSource(RabbitMqSettings settings, ConfirmingPublisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
        this.runs = new FailureBackoff(log, "running tasks from queue '" + settings.queue() + "'");
        this.moves = new FailureBackoff(log, "moving messages off queue '" + settings.queue() + "'");
        this.channels = new FailureBackoff(log, "opening a consumer channel on queue '" + settings.queue() + "'");
    }

    /** Consumes the work queue on a connection of its own, so publisher flow control never holds up acks. */
    @Override
    public synchronized void start(Function<TaskEvent, RunOutcome> runner, int workers) {
        if (connection != null) {
            throw new IllegalStateException("this RabbitMQ source is already started");
        }
        this.runner = runner;
        this.workers = workers;
        this.connection = RabbitMqEventBus.open(settings, "longtasks-worker");
        try {
            subscribe();
        } catch (IOException e) {
            RabbitMqEventBus.closeQuietly(connection);
            connection = null;
            throw new EventPublishException("RabbitMQ at " + settings.where() + " refused a consumer on queue '"
                    + settings.queue() + "': " + RabbitMqEventBus.rootMessage(e), e);
        }
    }

    /**
     * Opens a channel and consumes on it. Connection loss is healed by the client's recovery, but
     * a channel-level error (for example the broker's consumer_timeout closing a channel whose
     * task runs longer than 30 minutes) closes only the channel and is not recovered: then this
     * opens a new one, so the process never silently stops taking work. The old channel's unacked
     * messages went back to the queue with it.
     */
    private void subscribe() throws IOException {
        Channel ch = connection.createChannel();
        ch.basicQos(workers);
        ch.addShutdownListener(cause -> {
            if (!stopping && !cause.isHardError() && !cause.isInitiatedByApplication()) {
                log.warn("the consumer channel was closed by the broker ({}); opening a new one", cause.getMessage());
                Thread.ofVirtual().start(this::resubscribe);
            }
        });
        consumerTag = ch.basicConsume(settings.queue(), false, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                executor.execute(() -> handle(ch, envelope, props, body));
            }
        });
        channel = ch;
    }

    private void resubscribe() {
        while (!stopping) {
            try {
                subscribe();
                channels.succeeded();
                return;
            } catch (IOException | RuntimeException e) {
                if (!channels.pauseAfter(e.toString())) {
                    return;
                }
            }
        }
    }

    /** The channel deliveries currently arrive on (for tests that provoke a channel error). */
    Channel channel() {
        return channel;
    }

    /** Acks and nacks go to the channel that delivered the message: its tags mean nothing elsewhere. */
    private void handle(Channel ch, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        // A message that can never run goes to the dead-letter queue, where an operator sees it.
        TaskEvent event = TaskEventCodec.decode(body).orElse(null);
        if (event == null || event.taskId() == null) {
            deadLetter(ch, envelope, props, body, "not a task event: "
                    + (event == null ? "no JSON object with an event" : "the message has no task_id"));
            return;
        }
        RunOutcome outcome;
        try {
            outcome = runner.apply(event);
        } catch (TaskStoreException e) {
            runs.pauseAfter("task " + event.taskId() + ": the store failed, retrying later: " + e.getMessage());
            retryLater(ch, envelope, props, body, backoff(retries(props)), true, e.getMessage());
            return;
        } catch (RuntimeException e) {
            runs.pauseAfter("task " + event.taskId() + ": unexpected failure, retrying later: " + e, e);
            retryLater(ch, envelope, props, body, backoff(retries(props)), true, e.toString());
            return;
        }
        runs.succeeded();
        switch (outcome) {
            case RunOutcome.HeldElsewhere held -> retryLater(ch, envelope, props, body,
                    Math.max(0, held.leaseUntil() - System.currentTimeMillis()) + LEASE_SLACK_MS, false, null);
            case RunOutcome.Finished f -> ack(ch, envelope);
            case RunOutcome.NothingToDo n -> ack(ch, envelope);
            case RunOutcome.Ignored i -> ack(ch, envelope);
            case RunOutcome.LostLease l -> ack(ch, envelope);
        }
    }

    private static int retries(AMQP.BasicProperties props) {
        Object v = props.getHeaders() == null ? null : props.getHeaders().get(RETRIES_HEADER);
        return v instanceof Number n ? n.intValue() : 0;
    }

    /** 1 s, 2 s, 4 s, ... capped at 32 s: each one a retry tier. */
    static long backoff(int retries) {
        return 1000L << Math.min(retries, 5);
    }

    private void retryLater(Channel ch, Envelope envelope, AMQP.BasicProperties props, byte[] body, long delayMs,
                            boolean counts, String reason) {
        int retries = retries(props) + (counts ? 1 : 0);
        if (counts && retries > settings.maxRetries()) {
            deadLetter(ch, envelope, props, body, "failed " + retries + " times; last error: " + reason);
            return;
        }
        Map<String, Object> headers = new HashMap<>(props.getHeaders() == null ? Map.of() : props.getHeaders());
        headers.put(RETRIES_HEADER, retries);
        // The tier's queue sets the delay; a per-message TTL (from an older version) must not linger.
        AMQP.BasicProperties retry = props.builder().headers(headers).deliveryMode(2).expiration(null).build();
        republishThenAck(ch, envelope, "", settings.retryQueue(RabbitMqTopology.retryTier(delayMs)), retry, body);
    }

    private void deadLetter(Channel ch, Envelope envelope, AMQP.BasicProperties props, byte[] body, String reason) {
        log.error("dead-lettering a message from {}: {}", settings.queue(), reason);
        Map<String, Object> headers = new HashMap<>(props.getHeaders() == null ? Map.of() : props.getHeaders());
        headers.put(REASON_HEADER, reason);
        AMQP.BasicProperties dead = props.builder().headers(headers).deliveryMode(2).expiration(null).build();
        republishThenAck(ch, envelope, settings.deadLetterExchange(), "", dead, body);
    }

    private void republishThenAck(Channel ch, Envelope envelope, String exchange, String routingKey,
                                  AMQP.BasicProperties props, byte[] body) {
        try {
            publisher.send(exchange, routingKey, true, props, body, settings.confirmTimeout().toMillis());
            moves.succeeded();
            ack(ch, envelope);
        } catch (EventPublishException e) {
            // The broker is in trouble (down, or blocking publishers): leave the message where it is
            // for a later delivery, after a pause that grows while the trouble lasts.
            moves.pauseAfter("could not move a message to " + (routingKey.isEmpty() ? exchange : routingKey)
                    + ", requeueing it: " + e.getMessage());
            nack(ch, envelope);
        }
    }

    private void ack(Channel ch, Envelope envelope) {
        try {
            ch.basicAck(envelope.getDeliveryTag(), false);
        } catch (IOException | RuntimeException e) {
            // The channel died (and will recover): the broker redelivers the message, the store's
            // claim turns the duplicate into NothingToDo.
            log.warn("ack failed ({}); the message will be redelivered and ignored", e.toString());
        }
    }

    private void nack(Channel ch, Envelope envelope) {
        try {
            ch.basicNack(envelope.getDeliveryTag(), false, true);
        } catch (IOException | RuntimeException e) {
            log.warn("nack failed ({}); the broker redelivers the message after the reconnect", e.toString());
        }
    }

    /**
     * Stops taking messages and gives running tasks {@code grace} to end. Whatever is still
     * unacked then goes back to the broker when the channel closes, and another worker takes the
     * task over once its lease passes: nothing is ever handed back to the caller. Safe to call twice.
     */
    @Override
    public synchronized List<TaskEvent> shutdown(Duration grace) {
        if (stopping || connection == null) {
            stopping = true;
            return List.of();
        }
        stopping = true;
        Channel channel = this.channel;
        try {
            if (channel.isOpen()) {
                channel.basicCancel(consumerTag);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("basicCancel failed: {}", e.toString());
        }
        executor.shutdown();
        try {
            executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("channel close failed: {}", e.toString());
        }
        RabbitMqEventBus.closeQuietly(connection);
        return List.of();
    }

    @Override
    public void close() {
        EventSource.super.close();
    }
}
