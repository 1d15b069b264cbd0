package dev.longtasks.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An RFC 9457 problem: {@code type}, {@code title}, {@code status}, {@code detail} and optional
 * extension members (for example {@code task_id}). Details are written by this package for the
 * client; exception text from internals never goes into one.
 */
public record Problem(ProblemType type, String detail, Map<String, String> extensions, Map<String, String> headers) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem {
        // Insertion order is kept so the members appear in the body in the order they were added.
        extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, Map.of(), Map.of());
    }

    public Problem with(String member, String value) {
        if (Set.of("type", "title", "status", "detail", "instance").contains(member)) {
            throw new IllegalArgumentException("'" + member + "' is a standard problem member, not an extension");
        }
        Map<String, String> ext = new LinkedHashMap<>(extensions);
        ext.put(member, value);
        return new Problem(type, detail, ext, headers);
    }

    public Problem withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Problem(type, detail, extensions, h);
    }

    /** The problem as an exception, for code that finds it deep inside request parsing. */
    public ApiException exception() {
        return new ApiException(this);
    }

    public HttpResponse toResponse() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        if (detail != null) {
            body.put("detail", detail);
        }
        extensions.forEach(body::put);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", CONTENT_TYPE);
        h.put("Cache-Control", "no-store");
        h.putAll(headers);
        return new HttpResponse(type.status(), h, Json.writeBytes(body));
    }
}
