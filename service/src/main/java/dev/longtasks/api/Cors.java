package dev.longtasks.api;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CORS for browsers on any {@code http://} or {@code https://} origin. The origin is echoed
 * rather than answered with {@code *} so that the answer is exact, and for that reason
 * {@code Access-Control-Allow-Credentials} is never sent: a reflected origin with credentials
 * would let any site act with a user's cookies.
 */
final class Cors {
    // Authorization: a browser client on another origin sends its bearer token itself; no cookies are involved.
    static final String ALLOWED_HEADERS = "Content-Type, Content-Encoding, Idempotency-Key, Accept, Accept-Encoding, Authorization";
    static final String EXPOSED_HEADERS = "Location, Retry-After, Content-Encoding";
    static final String MAX_AGE_SECONDS = "600";

    private Cors() {
    }

    /** True for a syntactically plausible http(s) origin: scheme, "://", a host, no path. */
    static boolean isAllowed(String origin) {
        if (origin == null) {
            return false;
        }
        String o = origin.toLowerCase(Locale.ROOT);
        int hostStart;
        if (o.startsWith("https://")) {
            hostStart = 8;
        } else if (o.startsWith("http://")) {
            hostStart = 7;
        } else {
            return false;
        }
        if (o.length() == hostStart || o.length() > 2048) {
            return false;
        }
        for (int i = hostStart; i < o.length(); i++) {
            char c = o.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'
                    || c == '[' || c == ']' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Adds the CORS headers for a normal (non-preflight) response. */
    static void decorate(HttpRequest request, Map<String, String> headers) {
        addVary(headers, "Origin");
        String origin = request.header("Origin");
        if (isAllowed(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        }
    }

    /** The answer to {@code OPTIONS} on a served path: 204 with the allowed methods and headers. */
    static HttpResponse preflight(HttpRequest request, Set<String> methods) {
        Map<String, String> h = new LinkedHashMap<>();
        String allow = String.join(", ", methods) + ", OPTIONS";
        h.put("Allow", allow);
        String origin = request.header("Origin");
        if (isAllowed(origin)) {
            h.put("Access-Control-Allow-Origin", origin);
            h.put("Access-Control-Allow-Methods", allow);
            h.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            h.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        }
        h.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        return new HttpResponse(204, h, null);
    }

    static void addVary(Map<String, String> headers, String value) {
        String existing = headers.get("Vary");
        if (existing == null) {
            headers.put("Vary", value);
        } else if (!existing.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT))) {
            headers.put("Vary", existing + ", " + value);
        }
    }
}
