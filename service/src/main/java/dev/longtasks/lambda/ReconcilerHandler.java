package dev.longtasks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
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
            output.write(Json.writeBytes(pass));
        }
    }
}
