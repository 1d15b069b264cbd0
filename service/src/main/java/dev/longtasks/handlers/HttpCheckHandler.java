package dev.longtasks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code http-check} task: GETs a URL {@code probes} times, {@code interval_ms} apart, each
 * within {@code timeout_ms}, and returns the status codes and latency p50/max. It answers "is my
 * service reachable and healthy from where the workers run", e.g. from inside the Lambda's VPC.
 *
 * <p>Guard rails, because anyone who may submit tasks chooses the URL: only http(s), no
 * credentials in the URL, capped counts and timeouts, redirects are reported and not followed,
 * link-local addresses (cloud metadata) are always refused, and loopback is refused inside
 * Lambda, where 127.0.0.1 is the Lambda Runtime API rather than the operator's service.
 */
public final class HttpCheckHandler implements TaskHandler {
    public static final String TYPE = "http-check";
    /** Kept back from the remaining time so the result can still be written after the last probe. */
    static final Duration RESERVE = Duration.ofSeconds(1);
    private static final long SLEEP_SLICE_MS = 250;

    private final boolean allowLoopback;

    /** Loopback is allowed except inside Lambda ({@code AWS_LAMBDA_RUNTIME_API} is set there). */
    public HttpCheckHandler() {
        this(System.getenv("AWS_LAMBDA_RUNTIME_API") == null);
    }

    public HttpCheckHandler(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(JsonNode data) throws InvalidTaskInputException {
        HttpCheckRequest.parse(data);
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
        HttpCheckRequest check = HttpCheckRequest.parse(data);
        List<HttpProbe.Result> results = new ArrayList<>();
        String stoppedEarly = null;
        try (HttpClient client = HttpClient.newBuilder()
                .connectTimeout(check.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            HttpProbe probe = new HttpProbe(client, check, allowLoopback);
            for (int n = 1; n <= check.probes(); n++) {
                context.checkCancelled();
                Duration needed = check.timeout().plus(RESERVE).plus(n > 1 ? check.interval() : Duration.ZERO);
                if (context.remainingTime().compareTo(needed) < 0) {
                    stoppedEarly = "not enough time left for probe " + n + " (needs " + needed.toMillis()
                            + " ms, " + context.remainingTime().toMillis() + " ms left)";
                    context.logger().info("http-check {}: {}", context.taskId(), stoppedEarly);
                    break;
                }
                if (n > 1) {
                    pause(check.interval(), context);
                }
                HttpProbe.Result r = probe.run(n);
                results.add(r);
                context.progress(n * 100 / check.probes(), describe(r, check.probes()));
            }
        }
        if (check.requireHealthy() && HttpCheckReport.healthyCount(results) < check.probes()) {
            throw new HttpCheckFailedException(check.url() + ": " + HttpCheckReport.summary(check, results)
                    + (stoppedEarly == null ? "" : "; " + stoppedEarly));
        }
        return HttpCheckReport.of(check, results, stoppedEarly);
    }

    /** Sleeps in short slices so a cancel lands within a heartbeat, not after a long interval. */
    private static void pause(Duration interval, TaskContext context) throws InterruptedException {
        long end = System.nanoTime() + interval.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(SLEEP_SLICE_MS, Math.max(1, left / 1_000_000)));
            context.checkCancelled();
        }
    }

    private static String describe(HttpProbe.Result r, int of) {
        String head = "probe " + r.n() + " of " + of + ": ";
        return r.status() != null ? head + r.status() + " in " + r.latencyMs() + " ms" : head + r.error();
    }

    /** Raised when {@code require_healthy} is set and a probe was unhealthy; becomes {@code error.type}. */
    public static final class HttpCheckFailedException extends Exception {
        public HttpCheckFailedException(String message) {
            super(message);
        }
    }
}
