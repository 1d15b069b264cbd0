package dev.longtasks.cli.backend;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What {@code ls} and {@code top} ask the listing for: the list API's own parameters, passed on
 * as given so that the API (or, on a stage, the same code in-process) checks them and words the
 * refusal. Empty lists and nulls mean the API's defaults.
 */
public record ListQuery(List<String> statuses, List<String> types, String since, Integer limit, String cursor) {

    public ListQuery {
        statuses = statuses == null ? List.of() : List.copyOf(statuses);
        types = types == null ? List.of() : List.copyOf(types);
    }

    public ListQuery withCursor(String next) {
        return new ListQuery(statuses, types, since, limit, next);
    }

    /** The query parameters of {@code GET /v1/tasks}, in a stable order. */
    public Map<String, List<String>> parameters() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        if (!statuses.isEmpty()) {
            p.put("status", List.of(String.join(",", statuses)));
        }
        if (!types.isEmpty()) {
            p.put("type", List.of(String.join(",", types)));
        }
        if (since != null) {
            p.put("since", List.of(since));
        }
        if (limit != null) {
            p.put("limit", List.of(limit.toString()));
        }
        if (cursor != null) {
            p.put("cursor", List.of(cursor));
        }
        return p;
    }

    /** {@code ?status=...&limit=...}, or "" without parameters. */
    static String queryString(Map<String, List<String>> parameters) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, values) -> values.forEach(v ->
                q.add(name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return q.toString();
    }
}
