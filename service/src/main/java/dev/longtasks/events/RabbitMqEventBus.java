package dev.longtasks.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.TaskEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * System events on RabbitMQ: a durable topic exchange, persistent messages carrying the small
 * event JSON of {@link TaskEventCodec} (never the input), publisher confirms, and a quorum work
 * queue drained by the {@link RabbitMqEventSource} that {@link #source()} makes. See
 * {@link RabbitMqTopology} for the layout.
 *
 * <p>Publishing and consuming use separate connections, so broker flow control on publishers
 * cannot hold up consumer acks. Both recover on their own after a broker restart (connection
 * and topology recovery); {@link ConfirmingPublisher} retries unconfirmed messages meanwhile.
 */
public final class RabbitMqEventBus implements EventPublisher {
    private final RabbitMqSettings settings;
    private final Connection publishConnection;
    private final ConfirmingPublisher publisher;
    private final List<RabbitMqEventSource> sources = new ArrayList<>();

    private RabbitMqEventBus(RabbitMqSettings settings, Connection publishConnection, ConfirmingPublisher publisher) {
        this.settings = settings;
        this.publishConnection = publishConnection;
        this.publisher = publisher;
    }

    /** Connects, declares the topology and returns a publisher. Fails naming host:port when the broker is down. */
    public static RabbitMqEventBus connect(RabbitMqSettings settings) {
        Connection connection = open(settings, "longtasks-publisher");
        try {
            // Declared on a channel that stays open: topology recovery re-declares through the
            // channel that declared first, and would fail on a closed one.
            Channel topology = connection.createChannel();
            RabbitMqTopology.declare(topology, settings);
            return new RabbitMqEventBus(settings, connection, new ConfirmingPublisher(connection, settings.where()));
        } catch (IOException e) {
            closeQuietly(connection);
            throw new EventPublishException("RabbitMQ at " + settings.where() + " refused the topology for exchange '"
                    + settings.exchange() + "' and queue '" + settings.queue() + "': " + rootMessage(e), e);
        }
    }

    static Connection open(RabbitMqSettings settings, String name) {
        ConnectionFactory f = new ConnectionFactory();
        try {
            f.setUri(settings.url());
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("AMQP_URL is not usable: " + e.getMessage(), e);
        }
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(true);
        f.setNetworkRecoveryInterval(1000);
        f.setConnectionTimeout(5000);
        f.setHandshakeTimeout(5000);
        f.setRequestedHeartbeat(10);
        try {
            return f.newConnection(name);
        } catch (IOException | TimeoutException e) {
            throw new EventPublishException("RabbitMQ at " + settings.where() + " is unreachable: " + rootMessage(e), e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage() == null ? t : t.getMessage());
    }

    public RabbitMqSettings settings() {
        return settings;
    }

    /**
     * The consumer side of this bus: it drains the work queue on a connection of its own and
     * republishes retries and dead letters through this bus's confirming publisher. Shut down with
     * this bus at the latest.
     */
    public synchronized RabbitMqEventSource source() {
        RabbitMqEventSource source = new RabbitMqEventSource(settings, publisher);
        sources.add(source);
        return source;
    }

    @Override
    public void publish(TaskEvent event) {
        publishAll(List.of(event));
    }

    /** Publishes the whole batch, then waits for all confirms at once. */
    @Override
    public void publishAll(List<TaskEvent> events) {
        List<ConfirmingPublisher.Message> messages = new ArrayList<>(events.size());
        for (TaskEvent e : events) {
            // Submissions must reach the work queue (mandatory: unroutable is an error); completion
            // events may have no subscriber at all.
            messages.add(new ConfirmingPublisher.Message(settings.exchange(), e.event(), e.isSubmitted(),
                    properties(e), TaskEventCodec.encodeBytes(e)));
        }
        publisher.sendAll(messages, settings.confirmTimeout().toMillis());
    }

    private static AMQP.BasicProperties properties(TaskEvent e) {
        return MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json")
                .type(e.event())
                .headers(Map.<String, Object>copyOf(TaskEventCodec.attributes(e)))
                .build();
    }

    /** Deletes this bus's exchanges and queues (for tests and benchmarks with per-run names). */
    public void deleteTopology() {
        try (Channel ch = publishConnection.createChannel()) {
            RabbitMqTopology.delete(ch, settings);
        } catch (IOException | TimeoutException e) {
            throw new EventPublishException("could not delete the topology: " + rootMessage(e), e);
        }
    }

    /** Shuts down the sources this bus made (running tasks get {@code grace}), then the publisher. */
    public synchronized void shutdown(Duration grace) {
        for (RabbitMqEventSource source : sources) {
            try {
                source.shutdown(grace);
            } catch (RuntimeException e) {
                // keep closing the rest
            }
        }
        publisher.close();
        closeQuietly(publishConnection);
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    static void closeQuietly(Connection c) {
        try {
            if (c.isOpen()) {
                c.close(5000);
            }
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
