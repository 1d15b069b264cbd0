package dev.longtasks.cli.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.ApiException;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskLists;
import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Refusals;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.UnknownTaskTypeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage's tasks through {@link TaskService} on its own DynamoDB table and SNS topic: the very
 * code path the API runs, so validation, batching and "accepted means stored" all come from
 * TaskService, and views are built from the stored {@code Task} as the API builds them.
 */
public final class ServiceTaskBackend implements TaskBackend {
    private final String description;
    private final TaskService service;
    private final TaskLists lists;
    private final List<AutoCloseable> resources;

    /** Without a listing: {@code ls} and {@code top} get the 501 refusal. */
    public ServiceTaskBackend(String description, TaskService service, List<AutoCloseable> resources) {
        this(description, service, new TaskLists(null, "configured", Duration.ofHours(1), Clock.systemUTC()), resources);
    }

    /** {@code lists}: the list and stats routes' own code over the store's listing, in this process. */
    public ServiceTaskBackend(String description, TaskService service, TaskLists lists, List<AutoCloseable> resources) {
        this.description = description;
        this.service = service;
        this.lists = lists;
        this.resources = resources;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String submit(String type, JsonNode data) {
        try {
            return service.submit(type, data, null).taskId();
        } catch (UnknownTaskTypeException | InvalidTaskInputException e) {
            throw Refusals.refused(e, 0, Refusals.NOTHING_SUBMITTED);
        }
    }

    @Override
    public List<SubmitOutcome> submitAll(String type, List<JsonNode> data) {
        List<TaskService.Submission> batch = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            try {
                batch.add(new TaskService.Submission(type, service.validate(type, data.get(i))));
            } catch (UnknownTaskTypeException | InvalidTaskInputException e) {
                // The batch is refused as a whole, before anything is written.
                throw Refusals.refused(e, i + 1, Refusals.NOTHING_SUBMITTED);
            }
        }
        List<SubmitOutcome> outcomes = service.submitAll(batch);
        if (outcomes.stream().noneMatch(o -> o instanceof SubmitOutcome.Stored)) {
            String reason = ((SubmitOutcome.Refused) outcomes.getFirst()).reason();
            throw new CliException(ExitCodes.CONFIG, reason + " — " + Refusals.NOTHING_SUBMITTED);
        }
        return outcomes;
    }

    @Override
    public Optional<TaskView> get(String taskId) {
        return service.get(taskId).map(TaskView::of);
    }

    @Override
    public Map<String, TaskView> getAll(List<String> taskIds) {
        Map<String, TaskView> out = new LinkedHashMap<>();
        service.getAll(taskIds).forEach((id, t) -> out.put(id, TaskView.of(t)));
        return out;
    }

    @Override
    public CancelResult cancel(String taskId) {
        return service.cancel(taskId);
    }

    @Override
    public TaskListView list(ListQuery query) {
        try {
            return lists.list(query.parameters());
        } catch (ApiException e) {
            throw refused("list", e);
        }
    }

    @Override
    public TaskStatsView stats(String since) {
        try {
            return lists.stats(since == null ? Map.of() : Map.of("since", List.of(since)));
        } catch (ApiException e) {
            throw refused("stats", e);
        }
    }

    /** Worded exactly as the HTTP path words the same problem from the API. */
    private static CliException refused(String operation, ApiException e) {
        HttpResponse problem = e.problem().toResponse();
        return Refusals.problem(operation, problem.status(), problem.bodyText());
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // closing SDK clients at exit; nothing the user could do about a failure here
            }
        }
    }
}
