package dev.longtasks.local;

import dev.longtasks.config.ConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * The local server's limits and timeouts, with the defaults a reverse proxy in front of it would
 * use (nginx's, roughly), each settable from the environment. The body limit is not here: it is
 * the API's {@code TASKS_MAX_BODY_BYTES}.
 *
 * @param maxRequestLineBytes {@code TASKS_HTTP_MAX_REQUEST_LINE_BYTES}: method, target and version; over it, 414
 * @param maxHeaderBytes {@code TASKS_HTTP_MAX_HEADER_BYTES}: the request line and all header fields together; over it, 431
 * @param maxHeaders {@code TASKS_HTTP_MAX_HEADERS}: header fields in one request; over it, 431
 * @param idleTimeout {@code TASKS_HTTP_IDLE_TIMEOUT_SECONDS}: how long a keep-alive connection may sit idle
 * @param headerTimeout {@code TASKS_HTTP_HEADER_TIMEOUT_SECONDS}: from a request's first byte to the end of its headers; then the connection is closed
 * @param bodyTimeout {@code TASKS_HTTP_BODY_TIMEOUT_SECONDS}: the longest wait for the next bytes of a body; then 408
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxHeaders,
                         Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout) {

    public static HttpLimits defaults() {
        return fromEnv(Map.of());
    }

    public static HttpLimits fromEnv(Map<String, String> env) {
        int requestLine = intVar(env, "TASKS_HTTP_MAX_REQUEST_LINE_BYTES", 8 * 1024, 256, 1024 * 1024);
        int header = intVar(env, "TASKS_HTTP_MAX_HEADER_BYTES", 16 * 1024, 1024, 1024 * 1024);
        if (requestLine > header) {
            throw new ConfigurationException("TASKS_HTTP_MAX_REQUEST_LINE_BYTES=" + requestLine
                    + " is more than TASKS_HTTP_MAX_HEADER_BYTES=" + header + ", which includes the request line; raise that too");
        }
        return new HttpLimits(requestLine, header,
                intVar(env, "TASKS_HTTP_MAX_HEADERS", 100, 8, 10_000),
                Duration.ofSeconds(intVar(env, "TASKS_HTTP_IDLE_TIMEOUT_SECONDS", 60, 1, 3600)),
                Duration.ofSeconds(intVar(env, "TASKS_HTTP_HEADER_TIMEOUT_SECONDS", 15, 1, 3600)),
                Duration.ofSeconds(intVar(env, "TASKS_HTTP_BODY_TIMEOUT_SECONDS", 15, 1, 3600)));
    }

    private static int intVar(Map<String, String> env, String name, int dflt, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        int v;
        try {
            v = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + "=" + raw + " is not a whole number");
        }
        if (v < min || v > max) {
            throw new ConfigurationException(name + "=" + raw + " is out of range; use " + min + ".." + max);
        }
        return v;
    }
}
