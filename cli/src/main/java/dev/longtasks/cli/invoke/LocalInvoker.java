package dev.longtasks.cli.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Refusals;
import dev.longtasks.cli.aws.SnsEvents;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.input.TaskInput;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.TaskPrinter;
import dev.longtasks.config.ServiceSettings.StoreKind;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.lambda.LambdaRuntime;
import dev.longtasks.lambda.ListenerHandler;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.UnknownTaskTypeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code invoke --local}: the real {@link ListenerHandler} in this process on a synthetic SNS
 * event, against the stage's table or, with {@code --store memory}, fully offline. A task created
 * here from FILE/--data is written to the store without a {@code task.submitted} event, so the
 * deployed listener does not run it too.
 */
public final class LocalInvoker {
    /** What to run: an existing task ({@code taskId}) or task data to create one from, on the stage's store or {@code memory}. */
    public record Request(String taskId, String file, String data, String type, StoreKind store) {
    }

    private final TargetOptions target;
    private final OutputOptions output;
    private final CliEnvironment env;
    private final PrintWriter out;
    private final PrintWriter err;

    public LocalInvoker(TargetOptions target, OutputOptions output, CliEnvironment env, PrintWriter out, PrintWriter err) {
        this.target = target;
        this.output = output;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public int invoke(Request request) throws IOException {
        if (request.taskId() != null && (request.file() != null || request.data() != null)) {
            throw CliException.usage("give either --task-id ID or task data (FILE, - or --data), not both");
        }
        if (request.taskId() == null && request.file() == null && request.data() == null) {
            throw CliException.usage("invoke --local needs --task-id ID or task data (FILE, - or --data)");
        }
        boolean memory = request.store() == StoreKind.MEMORY;
        if (request.store() != null && !memory) {
            throw CliException.usage("--store " + request.store() + " is not supported: use --store memory, or leave it out for the stage's store");
        }
        if (memory && request.taskId() != null) {
            throw CliException.usage("--store memory starts empty: give task data (FILE, - or --data) instead of --task-id");
        }
        String stage = memory ? "local" : target.aws().stage();
        try (ListenerTarget t = memory ? ListenerTarget.memory() : ListenerTarget.stage(target)) {
            String taskId = request.taskId() != null ? TaskIds.check(request.taskId()) : create(t.store(), request);
            Optional<Task> before = t.store().get(taskId);
            if (before.isEmpty()) {
                throw CliException.notFound("task " + taskId + " not found in " + t.describe() + ": unknown or expired id");
            }
            TaskEvent event = TaskEvent.submitted(taskId, before.get().taskType(), stage);
            if (!output.quiet()) {
                err.println("running the listener locally on task.submitted for " + taskId + " (" + t.describe() + ")...");
                err.flush();
            }
            String answer = t.run(SnsEvents.lambdaEvent(event, StageNames.topicArn("aws", "us-east-1", "000000000000",
                    new StageNames(stage).defaultTopicName()), Instant.now()), err);
            if (!output.quiet()) {
                err.println("listener returned " + answer);
                err.flush();
            }
            TaskView after = t.store().get(taskId).map(TaskView::of)
                    .orElseThrow(() -> CliException.notFound("task " + taskId + " disappeared while running (expired)"));
            TaskPrinter.to(out, output).print(List.of(after));
            return switch (after.status()) {
                case SUCCEEDED -> ExitCodes.OK;
                case FAILED, CANCELLED -> ExitCodes.TASK_FAILED;
                case PENDING, RUNNING -> {
                    err.println("taskctl: the listener left the task " + after.status()
                            + " (another worker holds its lease?) — follow it with `taskctl watch " + taskId + "`");
                    yield ExitCodes.TIMEOUT;
                }
            };
        }
    }

    private String create(TaskStore store, Request request) {
        JsonNode data = TaskInput.single(TaskInput.read(request.file(), request.data(), env.stdin()));
        TaskService validator = new TaskService(store, e -> { }, BuiltInHandlers.all(), Clock.systemUTC(),
                Duration.ofHours(1), "local", TaskService.DEFAULT_MAX_INPUT_BYTES);
        String input;
        try {
            input = validator.validate(request.type(), data);
        } catch (UnknownTaskTypeException | InvalidTaskInputException e) {
            throw Refusals.refused(e, 0, Refusals.NOTHING_CREATED);
        }
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, request.type(), input, Instant.now(), Duration.ofHours(1).toSeconds()));
        return id;
    }

    /** The store the listener runs against, and the real ListenerHandler that runs it. */
    record ListenerTarget(Map<String, String> env, LambdaRuntime runtime, String describe) implements AutoCloseable {
        static ListenerTarget memory() {
            // A key of our own keeps this in-memory runtime apart from any other in the process.
            Map<String, String> env = Map.of("API_STAGE", "local", "TASKS_STORE", "memory", "TASKS_BUS", "inprocess",
                    "TASKCTL_INVOKE", UUID.randomUUID().toString());
            return new ListenerTarget(env, LambdaRuntime.forEnv(env), "the in-memory store");
        }

        static ListenerTarget stage(TargetOptions target) {
            TargetOptions.Aws aws = target.aws();
            Map<String, String> env = new HashMap<>(StageEnvironment.of(aws, target.environment()));
            env.put("TASKCTL_INVOKE", UUID.randomUUID().toString());
            return new ListenerTarget(env, LambdaRuntime.forEnv(env), aws.describe() + "'s table");
        }

        TaskStore store() {
            return runtime.system().store();
        }

        /** Feeds the SNS event to ListenerHandler.handleRequest, exactly as Lambda would; returns its answer. */
        String run(JsonNode snsEvent, PrintWriter err) throws IOException {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            new ListenerHandler(env).handleRequest(new ByteArrayInputStream(Json.writeBytes(snsEvent)), answer,
                    new LocalLambdaContext("listener", Duration.ofMinutes(15).toMillis(), err));
            return answer.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            runtime.system().shutdown(Duration.ZERO);
        }
    }

}
