package dev.longtasks.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.config.ConfigurationException;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskMetrics;
import dev.longtasks.task.TaskStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The task metrics of the Lambda functions, as CloudWatch Embedded Metric Format (EMF) lines on
 * stdout, beside the JSON log lines: CloudWatch Logs extracts the metrics, no API call is made.
 * Values are gathered during an invocation and {@link #flush() flushed} once at its end, one line
 * per group of dimensions (usually one). Written by hand, not with Powertools Metrics: see
 * BENCHMARKS.md, "Lambda metrics".
 *
 * <p>Dimensions are kept few: {@code Stage} always, then {@code TaskType} (the registered types),
 * {@code ErrorType} on {@code Failed} only, and {@code Action} on {@code ReconcilerActions}.
 * Metrics: {@code Submitted, Started, Succeeded, Failed, Cancelled} (Count), {@code QueueWait} and
 * {@code RunTime} (Milliseconds, one value per task), {@code ReconcilerActions} (Count).
 */
public final class EmfTaskMetrics implements TaskMetrics {
    public static final String DEFAULT_NAMESPACE = "LongTasks";
    /** The specification's limit on the values of one metric in one document. */
    static final int MAX_VALUES = 100;
    /** CloudWatch's namespace characters; "AWS/" is reserved for AWS's own. */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#: ]{1,255}");

    private final String namespace;
    private final String stage;
    private final String functionName;
    private final PrintStream out;
    private final Clock clock;
    /** Per group of dimension values (in order), the metrics of this invocation so far. */
    private final Map<Map<String, String>, Group> groups = new LinkedHashMap<>();

    public EmfTaskMetrics(String namespace, String stage, String functionName, PrintStream out, Clock clock) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new ConfigurationException("TASKS_METRICS_NAMESPACE=" + namespace + " is not a CloudWatch namespace: "
                    + "1 to 255 letters, digits and . - _ / # : or space, not starting with AWS/");
        }
        this.namespace = namespace;
        this.stage = stage;
        this.functionName = functionName;
        this.out = out;
        this.clock = clock;
    }

    /** {@code TASKS_METRICS_NAMESPACE} (default {@value #DEFAULT_NAMESPACE}), and the function's name. */
    public static EmfTaskMetrics fromEnv(Map<String, String> env, String stage, PrintStream out) {
        String ns = env.get("TASKS_METRICS_NAMESPACE");
        return new EmfTaskMetrics(ns == null || ns.isBlank() ? DEFAULT_NAMESPACE : ns.trim(), stage,
                env.get("AWS_LAMBDA_FUNCTION_NAME"), out, Clock.systemUTC());
    }

    /** The metrics of one group of dimensions: counts add up, durations are kept one by one. */
    private static final class Group {
        final List<List<String>> dimensionSets;
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, List<Long>> millis = new LinkedHashMap<>();

        Group(List<List<String>> dimensionSets) {
            this.dimensionSets = dimensionSets;
        }
    }

    private Group group(Map<String, String> dimensions, List<List<String>> sets) {
        return groups.computeIfAbsent(dimensions, d -> new Group(sets));
    }

    private Group byType(String taskType) {
        return group(Map.of("Stage", stage, "TaskType", taskType), List.of(List.of("Stage", "TaskType")));
    }

    private static void count(Group g, String metric, long n) {
        g.counts.merge(metric, n, Long::sum);
    }

    private static void time(Group g, String metric, Duration d) {
        g.millis.computeIfAbsent(metric, m -> new ArrayList<>()).add(Math.max(0, d.toMillis()));
    }

    @Override
    public synchronized void submitted(String taskType) {
        count(byType(taskType), "Submitted", 1);
    }

    @Override
    public synchronized void started(String taskType, int attempt, Duration queueWait) {
        Group g = byType(taskType);
        count(g, "Started", 1);
        if (queueWait != null) {
            time(g, "QueueWait", queueWait);
        }
    }

    @Override
    public synchronized void ended(String taskType, TaskStatus status, String errorType, Duration runTime) {
        switch (status) {
            case SUCCEEDED -> count(byType(taskType), "Succeeded", 1);
            case CANCELLED -> count(byType(taskType), "Cancelled", 1);
            // Per type, and per type and error type: both series from one value.
            case FAILED -> count(group(Map.of("Stage", stage, "TaskType", taskType, "ErrorType",
                            errorType == null ? "Unknown" : errorType),
                    List.of(List.of("Stage", "TaskType"), List.of("Stage", "TaskType", "ErrorType"))), "Failed", 1);
            default -> throw new IllegalArgumentException("not an end: " + status);
        }
        if (runTime != null) {
            time(byType(taskType), "RunTime", runTime);
        }
    }

    @Override
    public synchronized void reconciled(String action, int tasks) {
        count(group(Map.of("Stage", stage, "Action", action), List.of(List.of("Stage", "Action"))), "ReconcilerActions", tasks);
    }

    /** Writes what this invocation recorded, one EMF line per group, and starts afresh; nothing when nothing was recorded. */
    public void flush() {
        for (String line : drain()) {
            synchronized (out) {
                out.println(line);
            }
        }
    }

    /** The lines {@link #flush()} would write, taken out of the buffer. */
    public synchronized List<String> drain() {
        long timestamp = clock.millis();
        List<String> lines = new ArrayList<>();
        groups.forEach((dimensions, g) -> lines.addAll(lines(timestamp, dimensions, g)));
        groups.clear();
        return lines;
    }

    /** One document, or more when a duration has more values than one document may hold. */
    private List<String> lines(long timestamp, Map<String, String> dimensions, Group g) {
        List<String> lines = new ArrayList<>();
        int chunks = 1;
        for (List<Long> values : g.millis.values()) {
            chunks = Math.max(chunks, (values.size() + MAX_VALUES - 1) / MAX_VALUES);
        }
        for (int chunk = 0; chunk < chunks; chunk++) {
            ObjectNode line = Json.MAPPER.createObjectNode();
            ObjectNode aws = line.putObject("_aws");
            aws.put("Timestamp", timestamp);
            ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
            directive.put("Namespace", namespace);
            ArrayNode sets = directive.putArray("Dimensions");
            g.dimensionSets.forEach(set -> set.forEach(sets.addArray()::add));
            ArrayNode metrics = directive.putArray("Metrics");
            dimensions.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(d -> line.put(d.getKey(), d.getValue()));
            if (chunk == 0) {
                g.counts.forEach((name, n) -> {
                    metrics.addObject().put("Name", name).put("Unit", "Count");
                    line.put(name, n);
                });
            }
            int from = chunk * MAX_VALUES;
            g.millis.forEach((name, values) -> {
                if (from < values.size()) {
                    metrics.addObject().put("Name", name).put("Unit", "Milliseconds");
                    ArrayNode array = line.putArray(name);
                    values.subList(from, Math.min(values.size(), from + MAX_VALUES)).forEach(array::add);
                }
            });
            if (functionName != null) {
                line.put("function_name", functionName);
            }
            lines.add(Json.write(line));
        }
        return lines;
    }
}
