package dev.longtasks.bench;

import dev.longtasks.json.Json;
import dev.longtasks.metrics.EmfTaskMetrics;
import dev.longtasks.task.TaskStatus;
import java.time.Duration;
import java.util.Map;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * One fresh JVM, one variant: what the first invocation's metrics cost a Lambda function, from
 * the first use of the metrics code (class loading, setup) to the end of the first flush of one
 * invocation's values (a listener's: Started, QueueWait, Succeeded, RunTime per Stage and TaskType).
 * Jackson is warmed first (tree model included), as the function's own JSON handling has done by then. Prints the
 * milliseconds to stderr; the EMF line goes to stdout.
 * Usage: EmfProbe own|powertools
 */
public final class EmfProbe {
    public static void main(String[] args) {
        // The function has read its event as a tree (readTree) and written JSON by now: Jackson's
        // core and tree model are loaded in both variants.
        Json.write(Json.read("{\"Records\":[{\"n\":1,\"s\":\"x\"}]}"));
        Json.write(Map.of("warm", 1, "list", java.util.List.of(1, 2)));
        long start = System.nanoTime();
        switch (args[0]) {
            case "own" -> Own.run();
            case "powertools" -> Powertools.run();
            default -> throw new IllegalArgumentException("own or powertools, not " + args[0]);
        }
        long micros = (System.nanoTime() - start) / 1_000;
        System.out.flush();
        System.err.println(args[0] + " " + micros);
    }

    /** Apart, so that loading the probe loads neither variant's classes. */
    private static final class Own {
        static void run() {
        EmfTaskMetrics metrics = EmfTaskMetrics.fromEnv(System.getenv(), "bench", System.out);
        metrics.started("example", 1, Duration.ofMillis(42));
        metrics.ended("example", TaskStatus.SUCCEEDED, null, Duration.ofMillis(1500));
        metrics.flush();
        }
    }

    private static final class Powertools {
        static void run() {
        Metrics metrics = MetricsFactory.getMetricsInstance();
        metrics.setNamespace("LongTasks");
        metrics.addDimension(DimensionSet.of("Stage", "bench", "TaskType", "example"));
        metrics.addMetric("Started", 1, MetricUnit.COUNT);
        metrics.addMetric("QueueWait", 42, MetricUnit.MILLISECONDS);
        metrics.addMetric("Succeeded", 1, MetricUnit.COUNT);
        metrics.addMetric("RunTime", 1500, MetricUnit.MILLISECONDS);
        metrics.flush();
        }
    }
}
