package dev.longtasks.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures of one fault scenario over all its runs: tasks submitted, how every one of them
 * ended, how many were lost (gone, or never reached an end state), how many were completed twice
 * (more than one accepted terminal write), handler executions and the worst time to recover; and
 * the three lifecycle counts of issue 10, measured: <em>lost</em>, <em>answered failed but
 * ran</em> (the client got a failure answer, such as a 503 or a refused batch line, for a task
 * whose handler then ran: a client that obeys the answer runs the work twice) and
 * <em>stranded</em> (open when the scenario ends and absent from the store's open-task index,
 * so no reconciler would ever move it).
 * {@link #write} puts them in {@code target/reliability/<slug>.json}, where
 * {@code bench/reliability-table.sh} collects them into the table of RELIABILITY.md.
 */
public final class ScenarioReport {
    private final String slug;
    private final String scenario;
    private final String backend;
    private int runs;
    private int submitted;
    private int lost;
    private int completedTwice;
    private long handlerRuns;
    private long recoverMillis;
    private int stranded;
    private int answeredFailed;
    private int answeredFailedButRan;
    private final Map<String, Integer> ended = new TreeMap<>();
    private final Map<String, Integer> errorTypes = new TreeMap<>();

    private boolean lifecycle;

    public ScenarioReport(String slug, String scenario, String backend) {
        this.slug = slug;
        this.scenario = scenario;
        this.backend = backend;
    }

    /**
     * A scenario of the lifecycle table (issue 10): the test records every failure answer with
     * {@link #answeredFailed} and asserts {@link #assertLifecycleZeros}.
     */
    public static ScenarioReport lifecycle(String slug, String scenario, String backend) {
        ScenarioReport r = new ScenarioReport(slug, scenario, backend);
        r.lifecycle = true;
        return r;
    }

    /**
     * Records one run: reads the end state of every task in {@code ids} from {@code store};
     * {@code writes} counts terminal writes (may be the same object as {@code store}).
     */
    public void recordRun(TaskStore store, Collection<String> ids, RecordingTaskStore writes,
                          long handlerStarts, long recoverMs) {
        runs++;
        submitted += ids.size();
        handlerRuns += handlerStarts;
        recoverMillis = Math.max(recoverMillis, recoverMs);
        for (String id : ids) {
            Optional<Task> t = store.get(id);
            String state = t.map(x -> x.status().name()).orElse("MISSING");
            ended.merge(state, 1, Integer::sum);
            if (t.isEmpty() || !t.get().status().isTerminal()) {
                lost++;
            }
            if (t.isPresent() && !t.get().status().isTerminal() && !indexed(store, id)) {
                stranded++;
            }
            t.filter(x -> x.error() != null).ifPresent(x -> errorTypes.merge(x.error().type(), 1, Integer::sum));
            if (writes != null && writes.terminalWrites(id) > 1) {
                completedTwice++;
            }
        }
    }

    /** Whether the store's open-task index lists {@code id}, due at any time (the reconciler would find it). */
    private static boolean indexed(TaskStore store, String id) {
        return store.dueTasks(java.time.Instant.now().plus(java.time.Duration.ofDays(3650)), 100_000).contains(id);
    }

    /**
     * Records that the client was answered with a failure (a 503, a refused line of a batch, an
     * exception from submit) for task {@code id}; {@code handlerRuns} is how often its handler ran
     * by the end of the scenario. Call it for every failure answer that names a task.
     */
    public void answeredFailed(String id, long handlerRuns) {
        answeredFailed++;
        if (handlerRuns > 0) {
            answeredFailedButRan++;
        }
    }

    public int answeredFailedButRan() {
        return answeredFailedButRan;
    }

    public int stranded() {
        return stranded;
    }

    /** Asserts the three lifecycle counts are zero: nothing lost, no failure answer for work that ran, nothing stranded. */
    public void assertLifecycleZeros() {
        if (lost != 0 || answeredFailedButRan != 0 || stranded != 0) {
            throw new AssertionError(scenario + " (" + backend + "): lost " + lost + ", answered failed but ran "
                    + answeredFailedButRan + ", stranded " + stranded + "; all must be 0");
        }
        if (runs == 0) {
            throw new AssertionError(scenario + ": no run recorded");
        }
    }

    public int lost() {
        return lost;
    }

    public int completedTwice() {
        return completedTwice;
    }

    public int submitted() {
        return submitted;
    }

    public Map<String, Integer> ended() {
        return Map.copyOf(ended);
    }

    public Path write() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("scenario", scenario);
        json.put("backend", backend);
        json.put("runs", runs);
        json.put("tasks_submitted", submitted);
        json.set("tasks_ended", Json.MAPPER.valueToTree(ended));
        json.set("error_types", Json.MAPPER.valueToTree(errorTypes));
        json.put("lost", lost);
        json.put("completed_twice", completedTwice);
        json.put("lifecycle", lifecycle);
        json.put("answered_failed", answeredFailed);
        json.put("answered_failed_but_ran", answeredFailedButRan);
        json.put("stranded", stranded);
        json.put("handler_runs", handlerRuns);
        json.put("time_to_recover_ms", recoverMillis);
        Path out = Path.of("target", "reliability", slug + ".json");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
