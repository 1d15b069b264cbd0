package dev.longtasks.wiring;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.TaskEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Test-only fault knob {@code TASKS_FAULT_PUBLISH_FAILURE_PERCENT} (0..100, decimals allowed):
 * that share of publishes fails with {@link EventPublishException} without reaching the bus, as
 * a broker that dropped the connection mid-publish would. The soak ({@code bench/soak.sh
 * --selfhosted}) uses it to show that the reconciler brings every such task to an end. Refused
 * with {@code TASKS_BUS=sns} (the AWS path, where Lambda runs): it exists for local and
 * self-hosted test runs only.
 */
final class FaultyPublisher implements EventPublisher {
    static final String VARIABLE = "TASKS_FAULT_PUBLISH_FAILURE_PERCENT";

    private final EventPublisher delegate;
    private final double percent;
    private final DoubleSupplier random;
    private final AtomicLong failed = new AtomicLong();

    FaultyPublisher(EventPublisher delegate, double percent, DoubleSupplier random) {
        this.delegate = delegate;
        this.percent = percent;
        this.random = random;
    }

    /** {@code publisher} itself when the knob is unset or 0; else the publisher wrapped. */
    static EventPublisher wrap(EventPublisher publisher, ServiceSettings settings) {
        double percent = percent(settings.env());
        if (percent == 0) {
            return publisher;
        }
        if (settings.bus() == ServiceSettings.BusKind.SNS) {
            throw new ConfigurationException(VARIABLE + " is a test-only fault knob for local and self-hosted runs; "
                    + "it is refused with TASKS_BUS=sns");
        }
        return new FaultyPublisher(publisher, percent, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    static double percent(Map<String, String> env) {
        String raw = env.get(VARIABLE);
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(VARIABLE + "=" + raw + " is not a number");
        }
        if (!(v >= 0 && v <= 100)) {
            throw new ConfigurationException(VARIABLE + "=" + raw + " is out of range; use 0..100");
        }
        return v;
    }

    /** Publishes this wrapper failed on purpose. */
    long failed() {
        return failed.get();
    }

    private boolean fails() {
        return random.getAsDouble() * 100 < percent;
    }

    @Override
    public void publish(TaskEvent event) {
        if (fails()) {
            failed.incrementAndGet();
            throw new EventPublishException("fault injected (" + VARIABLE + "=" + percent + "): "
                    + event.event() + " for " + event.taskId() + " not published");
        }
        delegate.publish(event);
    }

    /** A batch fails part-way, like a broker that took the first events and then the connection dropped. */
    @Override
    public void publishAll(List<TaskEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            if (fails()) {
                if (i > 0) {
                    delegate.publishAll(events.subList(0, i));
                }
                failed.incrementAndGet();
                throw new EventPublishException("fault injected (" + VARIABLE + "=" + percent + "): "
                        + (events.size() - i) + " of " + events.size() + " events not published");
            }
        }
        delegate.publishAll(events);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
