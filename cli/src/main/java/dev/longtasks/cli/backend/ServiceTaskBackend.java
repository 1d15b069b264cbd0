package dev.longtasks.cli.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Refusals;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.UnknownTaskTypeException;
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
    private final List<AutoCloseable> resources;

    public ServiceTaskBackend(String description, TaskService service, List<AutoCloseable> resources) {
        this.description = description;
        this.service = service;
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
