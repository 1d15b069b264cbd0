package dev.longtasks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.task.InvalidTaskInputException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The validated {@code data} of an {@code http-check} task. Every bound is checked before the task
 * is stored, so a bad request is a 400 and never a task that fails later.
 *
 * @param url the http(s) URL to GET
 * @param probes how many GETs to make
 * @param timeout per-probe limit for connecting and receiving the response headers
 * @param interval pause between two probes
 * @param expectStatus the status that counts as healthy; null means any 2xx
 * @param requireHealthy end the task FAILED when any probe was unhealthy
 */
public record HttpCheckRequest(URI url, int probes, Duration timeout, Duration interval,
                               Integer expectStatus, boolean requireHealthy) {
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_PROBES = 50;
    static final int MIN_TIMEOUT_MS = 100;
    static final int MAX_TIMEOUT_MS = 30_000;
    static final int MAX_INTERVAL_MS = 60_000;

    // Only used to decide whether the host is an IP literal, which is checked without DNS.
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public static HttpCheckRequest parse(JsonNode data) throws InvalidTaskInputException {
        if (data == null || !data.isObject()) {
            throw new InvalidTaskInputException("'data' must be a JSON object for task type 'http-check'");
        }
        URI url = url(data.get("url"));
        int probes = intField(data, "probes", 3, 1, MAX_PROBES);
        int timeoutMs = intField(data, "timeout_ms", 5_000, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
        int intervalMs = intField(data, "interval_ms", 1_000, 0, MAX_INTERVAL_MS);
        Integer expect = data.hasNonNull("expect_status") ? intField(data, "expect_status", 200, 100, 599) : null;
        JsonNode require = data.get("require_healthy");
        if (require != null && !require.isNull() && !require.isBoolean()) {
            throw new InvalidTaskInputException("'data.require_healthy' must be true or false");
        }
        return new HttpCheckRequest(url, probes, Duration.ofMillis(timeoutMs), Duration.ofMillis(intervalMs),
                expect, require != null && require.asBoolean(false));
    }

    /** True when {@code status} counts as a healthy answer for this check. */
    public boolean isHealthy(int status) {
        return expectStatus == null ? status >= 200 && status < 300 : status == expectStatus;
    }

    private static URI url(JsonNode node) throws InvalidTaskInputException {
        if (node == null || node.isNull()) {
            throw new InvalidTaskInputException("'data.url' is required, e.g. \"https://example.com/health\"");
        }
        if (!node.isTextual() || node.textValue().isBlank() || node.textValue().length() > MAX_URL_LENGTH) {
            throw new InvalidTaskInputException("'data.url' must be an http or https URL of at most "
                    + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(node.textValue().strip());
        } catch (URISyntaxException e) {
            throw new InvalidTaskInputException("'data.url' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidTaskInputException("'data.url' must use http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidTaskInputException("'data.url' must name a host, e.g. \"https://example.com/health\"");
        }
        // The input is stored and shown to anyone who can read the task: keep credentials out of it.
        if (uri.getRawUserInfo() != null) {
            throw new InvalidTaskInputException("'data.url' must not contain a user name or password");
        }
        if (isLiteralLinkLocal(uri.getHost())) {
            throw new InvalidTaskInputException("'data.url' points at a link-local address, where cloud metadata "
                    + "endpoints live; http-check refuses those");
        }
        return uri;
    }

    private static boolean isLiteralLinkLocal(String host) {
        boolean literal = IPV4_LITERAL.matcher(host).matches() || host.startsWith("[");
        if (!literal) {
            return false;
        }
        try {
            // For an IP literal getByName does no DNS lookup.
            return InetAddress.getByName(host).isLinkLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static int intField(JsonNode data, String name, int dflt, int min, int max)
            throws InvalidTaskInputException {
        JsonNode n = data.get(name);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw new InvalidTaskInputException("'data." + name + "' must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }
}
