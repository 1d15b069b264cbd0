package dev.longtasks.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.events.TaskEventCodec;
import dev.longtasks.json.Json;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code listener} function: SNS events in, one {@link TaskRunner} run per
 * {@code task.submitted} record, within the Lambda's remaining time (the runner records
 * {@code TimedOut} a safety margin before it ends, longer than that one write can take: see
 * {@code ServiceSettings.safetyMargin} and serverless.yml). A handler's own failure is recorded on
 * the task and the invocation succeeds; retryable store and network failures are rethrown so
 * Lambda's async retries, then the on-failure destination ({@code taskctl dlq}), take over, while
 * a write the store refuses for good ends the task FAILED ({@code StoreRejected}) instead.
 * Duplicate deliveries find the task claimed or ended and change nothing, except that an ended
 * task whose completion event was never sent gets it sent.
 */
public final class ListenerHandler implements RequestStreamHandler {
    private static final Logger log = LoggerFactory.getLogger(ListenerHandler.class);

    private final LambdaRuntime runtime;

    public ListenerHandler() {
        this(System.getenv());
    }

    public ListenerHandler(Map<String, String> env) {
        this.runtime = LambdaRuntime.forEnv(env);
        runtime.priming().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try {
            handle(input, output, context, runtime.takeColdStart());
        } finally {
            runtime.flushMetrics();
        }
    }

    /** One invocation; SnapStart priming calls it too, without taking the cold start. */
    @SuppressWarnings("try") // the try scopes the log context (MDC); the body never needs the handle
    void handle(InputStream input, OutputStream output, Context context, boolean cold) throws IOException {
        try (var mdc = LambdaLogContext.open(context, cold)) {
            JsonNode event = Json.MAPPER.readTree(input);
            List<String> outcomes = new ArrayList<>();
            for (JsonNode record : event.path("Records")) {
                Optional<TaskEvent> taskEvent = TaskEventCodec.decode(record.path("Sns").path("Message").asText(""));
                if (taskEvent.isEmpty()) {
                    log.warn("SNS record {} is not a task event; skipped", record.path("Sns").path("MessageId").asText());
                    outcomes.add("skipped");
                    continue;
                }
                Duration budget = Duration.ofMillis(context == null ? 900_000 : context.getRemainingTimeInMillis());
                RunOutcome outcome = runtime.system().runner().run(taskEvent.get(), budget);
                log.info("event {} for task {}: {}", taskEvent.get().event(), taskEvent.get().taskId(), describe(outcome));
                outcomes.add(describe(outcome));
            }
            output.write(Json.writeBytes(Map.of("outcomes", outcomes)));
        }
    }

    static String describe(RunOutcome o) {
        return switch (o) {
            case RunOutcome.Finished f -> "finished " + f.task().status();
            case RunOutcome.NothingToDo n -> "nothing to do: " + n.reason();
            case RunOutcome.Ignored i -> "ignored: " + i.reason();
            case RunOutcome.HeldElsewhere h -> "held by another attempt until " + h.leaseUntil();
            case RunOutcome.LostLease l -> "attempt " + l.attempt() + " lost its lease";
        };
    }

}
