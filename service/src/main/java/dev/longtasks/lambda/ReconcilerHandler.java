package dev.longtasks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.Reconciler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The {@code reconciler} function, run by a schedule (every minute): one {@link Reconciler} pass
 * over the open-task index, its counts per action as the result. The scheduled event itself
 * carries nothing it needs. Two overlapping passes are harmless: every action is a conditional
 * write and a duplicate event is fenced by the claim.
 */
public final class ReconcilerHandler implements RequestStreamHandler {
    private final LambdaRuntime runtime;

    public ReconcilerHandler() {
        this(System.getenv());
    }

    public ReconcilerHandler(Map<String, String> env) {
        this.runtime = LambdaRuntime.forEnv(env);
    }

    @Override
    @SuppressWarnings("try") // the try scopes the log context (MDC); the body never needs the handle
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (var mdc = LambdaLogContext.open(context, runtime.takeColdStart())) {
            input.readAllBytes();
            Reconciler.Pass pass = runtime.system().reconciler().runOnce();
            output.write(Json.writeBytes(counts(pass)));
        } finally {
            runtime.flushMetrics();
        }
    }

    /** The pass's counts with the wire names of the service (snake_case), for logs and metrics. */
    static ObjectNode counts(Reconciler.Pass p) {
        return Json.MAPPER.createObjectNode().put("due", p.due()).put("republished", p.republished())
                .put("queue_timed_out", p.queueTimedOut()).put("lease_watched", p.leaseWatched())
                .put("taken_over", p.takenOver()).put("attempts_exhausted", p.attemptsExhausted())
                .put("completions_sent", p.completionsSent()).put("dropped", p.dropped()).put("failed", p.failed());
    }
}
