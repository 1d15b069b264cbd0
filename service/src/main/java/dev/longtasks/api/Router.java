package dev.longtasks.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a method and a path to a handler. Patterns are literal segments and {@code {name}}
 * segments that match one non-empty path segment. It tells an unknown path (404) apart from a
 * known path with the wrong method (405, with the methods that are allowed).
 */
public final class Router {

    /** Handles one matched request; {@code params} holds the {@code {name}} segments. */
    @FunctionalInterface
    public interface Handler {
        HttpResponse handle(HttpRequest request, Map<String, String> params);
    }

    /** One row of the route table. */
    public record Route(String method, String pattern, Handler handler) {
    }

    /** What a lookup found. */
    public sealed interface Match {
        record Found(Route route, Map<String, String> params) implements Match {
        }

        record MethodNotAllowed(Set<String> allowed) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    private record Pattern(String text, String[] segments) {
        Map<String, String> match(String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> params = null;
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.startsWith("{")) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    if (params == null) {
                        params = new LinkedHashMap<>(2);
                    }
                    params.put(s.substring(1, s.length() - 1), path[i]);
                } else if (!s.equals(path[i])) {
                    return null;
                }
            }
            return params == null ? Map.of() : params;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<Pattern> patterns = new ArrayList<>();
    // Most requests hit a literal path: one hash lookup finds them.
    private final Map<String, Map<String, Route>> literal = new LinkedHashMap<>();

    public Router add(String method, String pattern, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        Route route = new Route(method, pattern, handler);
        routes.add(route);
        if (pattern.contains("{")) {
            if (patterns.stream().noneMatch(p -> p.text().equals(pattern))) {
                patterns.add(new Pattern(pattern, split(pattern)));
            }
        } else {
            literal.computeIfAbsent(pattern, k -> new LinkedHashMap<>()).put(method, route);
        }
        return this;
    }

    /** The route table in the order routes were added; the OpenAPI test compares it with openapi.json. */
    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    public Match find(String method, String path) {
        Map<String, Route> byMethod = literal.get(path);
        if (byMethod != null) {
            Route r = byMethod.get(method);
            return r != null ? new Match.Found(r, Map.of()) : new Match.MethodNotAllowed(byMethod.keySet());
        }
        String[] segments = split(path);
        Set<String> allowed = null;
        for (Pattern p : patterns) {
            Map<String, String> params = p.match(segments);
            if (params == null) {
                continue;
            }
            for (Route r : routes) {
                if (r.pattern().equals(p.text())) {
                    if (r.method().equals(method)) {
                        return new Match.Found(r, params);
                    }
                    if (allowed == null) {
                        allowed = new LinkedHashSet<>();
                    }
                    allowed.add(r.method());
                }
            }
        }
        return allowed == null ? new Match.NotFound() : new Match.MethodNotAllowed(allowed);
    }

    /** The methods served on {@code path}, empty when the path is unknown (used by preflight). */
    public Set<String> methodsFor(String path) {
        return switch (find("\0", path)) {
            case Match.MethodNotAllowed m -> m.allowed();
            default -> Set.of();
        };
    }

    private static String[] split(String path) {
        // "/v1/tasks/x" -> ["v1", "tasks", "x"]; a trailing slash gives an empty last segment.
        return path.substring(1).split("/", -1);
    }
}
