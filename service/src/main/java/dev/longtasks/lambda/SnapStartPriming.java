package dev.longtasks.lambda;

import dev.longtasks.api.TaskView;
import dev.longtasks.aws.PrimingCalls;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.wiring.TaskSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.crac.Context;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming, one class for every function of the jar. Each handler registers itself at
 * init; before Lambda takes the snapshot ({@code beforeCheckpoint}) the registered handlers run
 * their own code on synthetic events, so class loading, Jackson's serialisers, the SDK's
 * marshallers, endpoint rules and signer are all in the snapshot and the first real request after
 * a restore does not pay for them. Nothing leaves a trace: reads ask for a task that cannot exist,
 * writes are built and signed but never sent ({@link PrimingCalls}).
 *
 * <p>Priming is best effort: a step that fails is logged and the snapshot is taken anyway (the
 * function then warms up on its first request, as without priming). On a JVM without CRaC the
 * hooks never run; {@link #prime()} is public so the cold-start benchmark can run it at the end
 * of init instead.
 */
public final class SnapStartPriming implements Resource {
    private static final Logger log = LoggerFactory.getLogger(SnapStartPriming.class);

    /** One warm-up step: what it ran, what came of it, and how long it took. */
    public record Step(String name, String outcome, long millis) {
        @Override
        public String toString() {
            return name + " -> " + outcome + " (" + millis + " ms)";
        }
    }

    private final LambdaRuntime runtime;
    private ApiHandler api;
    private ListenerHandler listener;

    SnapStartPriming(LambdaRuntime runtime) {
        this.runtime = runtime;
    }

    synchronized void register(ApiHandler handler) {
        api = handler;
    }

    synchronized void register(ListenerHandler handler) {
        listener = handler;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    /**
     * The restored process starts serving here. Its connections need no reset: priming's reads
     * asked the servers to close theirs and its writes never connected, and an idle keep-alive
     * socket the JDK may still cache (the credentials endpoint's) is older than its 5 s
     * keep-alive by the restored wall clock, so the JDK drops it instead of reusing it.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        runtime.restored();
    }

    /** Runs every registered handler's warm-up; never throws. */
    public synchronized List<Step> prime() {
        long start = System.nanoTime();
        List<Step> steps = new ArrayList<>();
        if (api != null) {
            primeApi(steps);
        }
        if (listener != null) {
            primeListener(steps);
        }
        runtime.discardMetrics();
        log.info("primed for the snapshot in {} ms: {}", (System.nanoTime() - start) / 1_000_000, steps);
        return steps;
    }

    private void primeApi(List<Step> steps) {
        String absent = "/v1/tasks/" + PrimingEvents.ABSENT_TASK_ID;
        // A real GetItem: the read path, the SDK's response parsing and a 404 problem+json.
        step(steps, "api GET /v1/tasks/{id}", () -> PrimingCalls.closingConnections(
                () -> invokeApi(PrimingEvents.http("GET", absent, null))));
        // Refused by validation before anything is stored: body parsing, the task type, a 400.
        step(steps, "api POST /v1/example/process-task (invalid data)",
                () -> invokeApi(PrimingEvents.http("POST", "/v1/example/process-task", "{\"data\":{\"steps\":0}}")));
        step(steps, "task view JSON", () -> {
            Task task = Task.pending(PrimingEvents.ABSENT_TASK_ID, "example", "{\"steps\":1}", Instant.now(), 3600);
            TaskView back = Json.MAPPER.readValue(Json.writeBytes(TaskView.of(task)), TaskView.class);
            return back.status().name();
        });
        if (onAws()) {
            TaskSystem system = runtime.system();
            step(steps, "store PutItem", () -> unsent(() -> system.store().create(
                    Task.pending(PrimingEvents.ABSENT_TASK_ID, "example", "{\"steps\":1}", Instant.now(), 3600))));
            step(steps, "SNS Publish task.submitted", () -> unsent(() -> system.publisher().publish(submitted())));
        }
    }

    private void primeListener(List<Step> steps) {
        // On AWS the claim (a conditional UpdateItem) is built and signed, then stopped; on the
        // local stage the in-memory store finds no such task and nothing changes.
        step(steps, "listener task.submitted", () -> unsent(() -> invokeListener(PrimingEvents.sns(submitted()))));
        if (onAws()) {
            TaskSystem system = runtime.system();
            step(steps, "store GetItem", () -> PrimingCalls.closingConnections(
                    () -> system.store().get(PrimingEvents.ABSENT_TASK_ID).isPresent() ? "found" : "absent"));
            step(steps, "store UpdateItem (finish)", () -> unsent(() -> system.store().finish(
                    PrimingEvents.ABSENT_TASK_ID, 1, TaskStatus.SUCCEEDED, "{}", null)));
            step(steps, "SNS Publish task.succeeded", () -> unsent(() -> system.publisher().publish(
                    new TaskEvent(PrimingEvents.ABSENT_TASK_ID, "example", TaskEvent.SUCCEEDED, stage()))));
        }
    }

    private boolean onAws() {
        ServiceSettings s = runtime.system().settings();
        return s.store() == ServiceSettings.StoreKind.DYNAMODB && s.bus() == ServiceSettings.BusKind.SNS;
    }

    private String stage() {
        return runtime.system().settings().stage();
    }

    private TaskEvent submitted() {
        return TaskEvent.submitted(PrimingEvents.ABSENT_TASK_ID, "example", stage());
    }

    /** The handler's own invocation path; answers the response's status. */
    private String invokeApi(InputStream event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            api.handle(event, out, null, false);
            return "HTTP " + Json.MAPPER.readTree(out.toByteArray()).path("statusCode").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void invokeListener(InputStream event) {
        try {
            listener.handle(event, new ByteArrayOutputStream(), null, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unsent(Runnable write) {
        return PrimingCalls.notSent(write) ? "built and signed, not sent" : "no AWS call";
    }

    private static void step(List<Step> steps, String name, Callable<String> warmUp) {
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = warmUp.call();
        } catch (Exception e) {
            outcome = "failed: " + e;
            log.warn("priming step '{}' failed; the first request will warm this path up instead: {}", name, e.toString());
        }
        steps.add(new Step(name, outcome, (System.nanoTime() - start) / 1_000_000));
    }
}
