package dev.longtasks.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request target as the API sees it: the path stays raw (the router matches encoded segments,
 * as API Gateway's {@code rawPath}), the query is decoded. Both are checked first: a {@code %}
 * that does not start a two-digit hex escape makes the whole target invalid, so decoding below
 * never has to guess.
 */
final class RequestTarget {
    private RequestTarget() {
    }

    /** Where the first malformed percent-escape starts in {@code s}, or -1 when there is none. */
    static int badEscape(String s) {
        if (s == null) {
            return -1;
        }
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 3)) {
            if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The decoded query parameters, in order; {@code raw} has valid escapes ({@link #badEscape}). */
    static Map<String, List<String>> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                    .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }
}
