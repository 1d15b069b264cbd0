package dev.longtasks.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A transport-neutral HTTP request: what the Lambda adapter and the local server both turn their
 * input into. Header names are case-insensitive; {@code body} is the raw bytes as received
 * (still gzip-compressed if {@code Content-Encoding: gzip}); {@code path} has no query string.
 * {@code principal} is who the transport's own authorizer vouched for (API Gateway's IAM or JWT
 * authorizer), or null: only a transport sets it, never anything the client sends.
 */
public record HttpRequest(String method, String path, Map<String, List<String>> headers,
                          Map<String, List<String>> query, byte[] body, String sourceIp, Principal principal) {

    /** A request no authorizer has seen: the local server's, and most tests'. */
    public HttpRequest(String method, String path, Map<String, List<String>> headers,
                       Map<String, List<String>> query, byte[] body, String sourceIp) {
        this(method, path, headers, query, body, sourceIp, null);
    }

    public HttpRequest {
        method = method == null ? "GET" : upper(method);
        path = path == null || path.isEmpty() ? "/" : path;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
                var all = new ArrayList<>(a);
                all.addAll(b);
                return List.copyOf(all);
            }));
        }
        headers = Collections.unmodifiableMap(h);
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** Methods arrive upper-case from every transport; only the odd one is converted. */
    private static String upper(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c >= 'a' && c <= 'z') {
                return method.toUpperCase(Locale.ROOT);
            }
        }
        return method;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
