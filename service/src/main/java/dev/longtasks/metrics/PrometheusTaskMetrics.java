package dev.longtasks.metrics;

import dev.longtasks.task.Reconciler;
import dev.longtasks.task.TaskMetrics;
import dev.longtasks.task.TaskStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;

/**
 * The task metrics of the local server and self-hosted processes, in a Prometheus registry of
 * their own (the Prometheus Java client 1.x) with the client's JVM metrics beside them, written in
 * the Prometheus text format for {@code GET /metrics}. Series, all prefixed {@code longtasks_}:
 * counters of submitted, started, succeeded, failed (by {@code error_type}) and cancelled tasks
 * per {@code type}, the reconciler's actions per {@code action}, and histograms of the queue wait
 * (submit to first claim) and the run time (claim to end) per {@code type}.
 */
public final class PrometheusTaskMetrics implements TaskMetrics {
    /** Seconds; long-running tasks wait and run from milliseconds to an hour. */
    static final double[] BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter submitted = counter("longtasks_tasks_submitted_total", "Tasks accepted (stored and queued)", "type");
    private final Counter started = counter("longtasks_tasks_started_total", "Attempts claimed by a runner", "type");
    private final Counter succeeded = counter("longtasks_tasks_succeeded_total", "Tasks that ended SUCCEEDED", "type");
    private final Counter failed = counter("longtasks_tasks_failed_total", "Tasks that ended FAILED, by error type",
            "type", "error_type");
    private final Counter cancelled = counter("longtasks_tasks_cancelled_total", "Tasks that ended CANCELLED", "type");
    private final Counter reconciled = counter("longtasks_reconciler_actions_total",
            "Tasks the reconciler acted on, by action", "action");
    private final Histogram queueWait = histogram("longtasks_task_queue_wait_seconds",
            "Submit to first claim, in seconds");
    private final Histogram runTime = histogram("longtasks_task_run_seconds",
            "One attempt's claim to the task's end, in seconds");

    /** Guarded by {@code this}: the JVM series are registered at the first scrape, not at start-up. */
    private boolean jvmRegistered;

    public PrometheusTaskMetrics() {
        for (String action : Reconciler.ACTIONS) {
            reconciled.labelValues(action);
        }
    }

    /** Starts the series of the registered task types at zero, so a rate is defined before their first task. */
    public PrometheusTaskMetrics withTypes(Collection<String> taskTypes) {
        for (String type : taskTypes) {
            submitted.labelValues(type);
            started.labelValues(type);
            succeeded.labelValues(type);
            cancelled.labelValues(type);
        }
        return this;
    }

    /** The content type of {@link #scrape()}. */
    public String contentType() {
        return writer.getContentType();
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    private Histogram histogram(String name, String help) {
        return Histogram.builder().name(name).help(help).labelNames("type").classicOnly().classicUpperBounds(BUCKETS)
                .register(registry);
    }

    @Override
    public void submitted(String taskType) {
        submitted.labelValues(taskType).inc();
    }

    @Override
    public void started(String taskType, int attempt, Duration wait) {
        started.labelValues(taskType).inc();
        if (wait != null) {
            queueWait.labelValues(taskType).observe(seconds(wait));
        }
    }

    @Override
    public void ended(String taskType, TaskStatus status, String errorType, Duration ran) {
        switch (status) {
            case SUCCEEDED -> succeeded.labelValues(taskType).inc();
            case FAILED -> failed.labelValues(taskType, errorType == null ? "Unknown" : errorType).inc();
            case CANCELLED -> cancelled.labelValues(taskType).inc();
            default -> throw new IllegalArgumentException("not an end: " + status);
        }
        if (ran != null) {
            runTime.labelValues(taskType).observe(seconds(ran));
        }
    }

    @Override
    public void reconciled(String action, int tasks) {
        reconciled.labelValues(action).inc(tasks);
    }

    /** Clocks of two processes may disagree by a little; a wait is never negative. */
    private static double seconds(Duration d) {
        return Math.max(0, d.toNanos()) / 1e9;
    }

    /**
     * The client's JVM metrics load the platform MXBeans (java.management, and JFR's through
     * them): about 0.7 s of class loading on this 2-core machine, which would delay the start line
     * of `taskctl dev` past its 1.5 s. They are registered when they are first asked for.
     */
    private synchronized void registerJvmMetricsOnce() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }

    /** Every series, this process's JVM included, in the Prometheus text format 0.0.4. */
    public byte[] scrape() {
        registerJvmMetricsOnce();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the metrics to memory failed", e);
        }
        return out.toByteArray();
    }
}
