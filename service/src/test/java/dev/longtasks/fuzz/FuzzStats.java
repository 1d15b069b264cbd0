package dev.longtasks.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the cases a property ran (by body kind and by status) and writes them to target/reliability/. */
final class FuzzStats {
    private final String name;
    private final AtomicLong cases = new AtomicLong();
    private final Map<String, Long> byKind = new TreeMap<>();
    private final Map<String, Long> byStatus = new TreeMap<>();

    FuzzStats(String name) {
        this.name = name;
    }

    synchronized void record(String kind, int status) {
        cases.incrementAndGet();
        byKind.merge(kind, 1L, Long::sum);
        byStatus.merge(Integer.toString(status), 1L, Long::sum);
    }

    synchronized void write() {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("property", name);
        json.put("cases", cases.get());
        json.put("status_5xx", byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToLong(Map.Entry::getValue).sum());
        json.set("by_body_kind", Json.MAPPER.valueToTree(byKind));
        json.set("by_status", Json.MAPPER.valueToTree(byStatus));
        Path out = Path.of("target", "reliability", "fuzz-" + name + ".json");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
