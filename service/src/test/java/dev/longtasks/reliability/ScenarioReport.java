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
 * (more than one accepted terminal write), handler executions and the worst time to recover.
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
    private final Map<String, Integer> ended = new TreeMap<>();
    private final Map<String, Integer> errorTypes = new TreeMap<>();

    public ScenarioReport(String slug, String scenario, String backend) {
        this.slug = slug;
        this.scenario = scenario;
        this.backend = backend;
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
            t.filter(x -> x.error() != null).ifPresent(x -> errorTypes.merge(x.error().type(), 1, Integer::sum));
            if (writes != null && writes.terminalWrites(id) > 1) {
                completedTwice++;
            }
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
