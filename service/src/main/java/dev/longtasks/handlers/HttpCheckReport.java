package dev.longtasks.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the probes of one check into the task result: per-probe lines, status counts, latency p50/max. */
final class HttpCheckReport {
    private HttpCheckReport() {
    }

    static ObjectNode of(HttpCheckRequest check, List<HttpProbe.Result> results, String stoppedEarly) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("url", check.url().toString());
        out.put("probes_requested", check.probes());
        out.put("probes_completed", results.size());
        out.put("healthy", healthyCount(results));
        out.put("all_healthy", !results.isEmpty() && healthyCount(results) == check.probes());
        ObjectNode codes = out.putObject("status_codes");
        statusCounts(results).forEach((code, count) -> codes.put(Integer.toString(code), count));
        long[] latencies = results.stream().filter(r -> r.latencyMs() != null).mapToLong(HttpProbe.Result::latencyMs)
                .sorted().toArray();
        ObjectNode latency = out.putObject("latency_ms");
        if (latencies.length == 0) {
            latency.putNull("p50");
            latency.putNull("max");
        } else {
            latency.put("p50", percentile(latencies, 50));
            latency.put("max", latencies[latencies.length - 1]);
        }
        ArrayNode probes = out.putArray("probes");
        for (HttpProbe.Result r : results) {
            ObjectNode p = probes.addObject();
            p.put("probe", r.n());
            if (r.status() != null) {
                p.put("status", r.status());
                p.put("latency_ms", r.latencyMs());
            } else {
                p.put("error", r.error());
            }
            p.put("healthy", r.healthy());
        }
        if (stoppedEarly != null) {
            out.put("stopped_early", stoppedEarly);
        }
        return out;
    }

    static int healthyCount(List<HttpProbe.Result> results) {
        return (int) results.stream().filter(HttpProbe.Result::healthy).count();
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least p% of values at or below it. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** One line for people, e.g. "2 of 3 probes healthy (200 x2, no response within 500 ms x1)". */
    static String summary(HttpCheckRequest check, List<HttpProbe.Result> results) {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (HttpProbe.Result r : results) {
            outcomes.merge(r.status() != null ? Integer.toString(r.status()) : r.error(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder()
                .append(healthyCount(results)).append(" of ").append(check.probes()).append(" probes healthy (");
        String sep = "";
        for (Map.Entry<String, Integer> e : outcomes.entrySet()) {
            sb.append(sep).append(e.getKey()).append(" x").append(e.getValue());
            sep = ", ";
        }
        return sb.append(')').toString();
    }

    private static Map<Integer, Integer> statusCounts(List<HttpProbe.Result> results) {
        Map<Integer, Integer> counts = new TreeMap<>();
        results.stream().filter(r -> r.status() != null).forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return counts;
    }
}
