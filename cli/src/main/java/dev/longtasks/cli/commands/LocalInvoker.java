package dev.longtasks.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Main;
import dev.longtasks.cli.aws.SnsEvents;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.backend.TaskView;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.cli.output.TaskPrinter;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.store.TaskStore;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.UnknownTaskTypeException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code invoke --local}: the listener's code in this process on a synthetic SNS event, against
 * the stage's store or, with {@code --store memory}, fully offline. Nothing is published: the
 * deployed listener must not pick the same task up.
 */
final class LocalInvoker {
    private LocalInvoker() {
    }

    static int invoke(InvokeCommand c) {
        PrintWriter out = c.spec.commandLine().getOut();
        PrintWriter err = c.spec.commandLine().getErr();
        if (c.taskId != null && (c.file != null || c.data != null)) {
            throw CliException.usage("give either --task-id ID or task data (FILE, - or --data), not both");
        }
        if (c.taskId == null && c.file == null && c.data == null) {
            throw CliException.usage("invoke --local needs --task-id ID or task data (FILE, - or --data)");
        }
        boolean memory = "memory".equals(c.store);
        if (c.store != null && !memory) {
            throw CliException.usage("--store " + c.store + " is not supported: use --store memory, or leave it out for the stage's store");
        }
        if (memory && c.taskId != null) {
            throw CliException.usage("--store memory starts empty: give task data (FILE, - or --data) instead of --task-id");
        }
        String stage = memory ? "local" : c.target.aws().stage();
        try (ListenerTarget t = memory ? ListenerTarget.memory() : ListenerTarget.stage(c.target)) {
            String taskId = c.taskId != null ? TaskIds.check(c.taskId) : create(t.store(), c, Main.environment(c.spec));
            Optional<Task> before = t.store().get(taskId);
            if (before.isEmpty()) {
                throw CliException.notFound("task " + taskId + " not found in " + t.describe() + ": unknown or expired id");
            }
            TaskEvent event = TaskEvent.submitted(taskId, before.get().taskType(), stage);
            if (!c.output.quiet()) {
                err.println("running the listener locally on task.submitted for " + taskId + " (" + t.describe() + ")...");
                err.flush();
            }
            t.run(SnsEvents.lambdaEvent(event, StageNames.topicArn("us-east-1", "000000000000",
                    new StageNames(stage).defaultTopicName()), Instant.now()), event);
            TaskView after = t.store().get(taskId).map(TaskView::of)
                    .orElseThrow(() -> CliException.notFound("task " + taskId + " disappeared while running (expired)"));
            new TaskPrinter(out, c.output.format(), new Styles(c.output.colourOut())).print(List.of(after));
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

    private static String create(TaskStore store, InvokeCommand c, dev.longtasks.cli.CliEnvironment env) {
        JsonNode data = TaskInput.single(TaskInput.read(c.file, c.data, env.stdin()));
        TaskService validator = new TaskService(store, e -> { }, TaskHandlers.builtIn(), Clock.systemUTC(),
                Duration.ofHours(1), "local", TaskService.DEFAULT_MAX_INPUT_BYTES);
        String input;
        try {
            input = validator.validate(c.type, data);
        } catch (UnknownTaskTypeException e) {
            throw CliException.usage(e.getMessage() + " — pick one with --type");
        } catch (InvalidTaskInputException e) {
            throw CliException.usage("invalid task data: " + e.getMessage() + " — nothing was created");
        }
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, c.type, input, Instant.now(), Duration.ofHours(1).toSeconds()));
        return id;
    }

    /** The store the listener runs against, and how it is run. */
    interface ListenerTarget extends AutoCloseable {
        TaskStore store();

        String describe();

        void run(JsonNode snsEvent, TaskEvent event);

        @Override
        void close();

        static ListenerTarget memory() {
            TaskStore store = MemoryTaskStore.builder().build();
            return new RunnerTarget(store, "the in-memory store");
        }

        static ListenerTarget stage(TargetOptions target) {
            throw new CliException(ExitCodes.CONFIG, "invoke --local against " + target.aws().describe()
                    + " needs the DynamoDB store, which this build does not have yet — use --store memory");
        }
    }

    /** Drives the TaskRunner, the code the listener delegates every SNS record to. */
    record RunnerTarget(TaskStore store, String describe) implements ListenerTarget {
        @Override
        public void run(JsonNode snsEvent, TaskEvent event) {
            var runner = new dev.longtasks.task.TaskRunner(store, TaskHandlers.builtIn(), e -> { },
                    RunnerSettings.DEFAULTS, Clock.systemUTC());
            runner.run(event, Duration.ofMinutes(15));
        }

        @Override
        public void close() {
            store.close();
        }
    }

    static boolean isTerminal(TaskStatus s) {
        return s.isTerminal();
    }
}
