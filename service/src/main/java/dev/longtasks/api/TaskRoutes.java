package dev.longtasks.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.handlers.ExampleHandler;
import dev.longtasks.json.Json;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyConflictException;
import dev.longtasks.task.InputTooLargeException;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.UnknownTaskTypeException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The task routes: submit, read and cancel. Everything here is about one task at a time. */
final class TaskRoutes {
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final TaskService service;
    private final ApiOptions options;
    private final String retryAfter;

    TaskRoutes(TaskService service, ApiOptions options) {
        this.service = service;
        this.options = options;
        this.retryAfter = Integer.toString(options.retryAfterSeconds());
    }

    /** {@code POST /v1/example/process-task} {"data": ...}: the seed's route, fixed to type example. */
    HttpResponse processExample(HttpRequest request, Map<String, String> params) {
        ObjectNode body = JsonBody.readObject(request, options.maxBodyBytes());
        return submit(ExampleHandler.TYPE, requireData(body), request);
    }

    /** {@code POST /v1/tasks} {"type": ..., "data": ...}: any registered task type. */
    HttpResponse submitAny(HttpRequest request, Map<String, String> params) {
        ObjectNode body = JsonBody.readObject(request, options.maxBodyBytes());
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || type.textValue().isBlank()) {
            throw Problem.of(ProblemType.MISSING_TYPE, "the body needs a 'type' string naming a task type; known types: "
                    + String.join(", ", service.handlers().types())).exception();
        }
        return submit(type.textValue(), requireData(body), request);
    }

    private static JsonNode requireData(ObjectNode body) {
        JsonNode data = body.get("data");
        if (data == null || data.isNull()) {
            throw Problem.of(ProblemType.MISSING_DATA, "the body needs a 'data' member, for example {\"data\": {}}").exception();
        }
        return data;
    }

    private HttpResponse submit(String type, JsonNode data, HttpRequest request) {
        String key = idempotencyKey(request);
        TaskService.Submitted submitted;
        try {
            submitted = service.submit(type, data, key);
        } catch (UnknownTaskTypeException e) {
            throw Problem.of(ProblemType.UNKNOWN_TASK_TYPE, "unknown task type '" + e.type() + "'; known types: "
                    + String.join(", ", service.handlers().types())).with("task_type", e.type()).exception();
        } catch (InputTooLargeException e) {
            throw Problem.of(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage()).exception();
        } catch (InvalidTaskInputException e) {
            // Handlers write these messages for clients (see TaskHandler#validate).
            throw Problem.of(ProblemType.INVALID_TASK_INPUT, e.getMessage()).exception();
        } catch (IdempotencyConflictException e) {
            throw Problem.of(ProblemType.IDEMPOTENCY_CONFLICT, "Idempotency-Key '" + key
                    + "' was already used with a different request body; use a new key for a new task").exception();
        }
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Location", "/v1/tasks/" + submitted.taskId());
        h.put("Retry-After", retryAfter);
        h.put("Cache-Control", "no-store");
        if (submitted.replayed()) {
            h.put("Idempotent-Replayed", "true");
        }
        byte[] body = ("{\"task_id\":\"" + submitted.taskId() + "\"}").getBytes(StandardCharsets.US_ASCII);
        return new HttpResponse(202, h, body);
    }

    private static String idempotencyKey(HttpRequest request) {
        String key = request.header("Idempotency-Key");
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw Problem.of(ProblemType.INVALID_IDEMPOTENCY_KEY, "Idempotency-Key must be 1 to "
                    + MAX_IDEMPOTENCY_KEY_LENGTH + " visible ASCII characters, for example a UUID").exception();
        }
        return key;
    }

    HttpResponse get(HttpRequest request, Map<String, String> params) {
        String id = taskId(params);
        boolean withInput = includesInput(request);
        Optional<Task> task = service.get(id);
        if (task.isEmpty()) {
            throw notFound(id);
        }
        return withInput ? json(200, TaskDetail.of(task.get())) : view(200, task.get());
    }

    /**
     * {@code include=input} adds the submitted data to the view. Other query parameters are
     * ignored here, as they always were (a cache-busting parameter must not break a poll).
     */
    private static boolean includesInput(HttpRequest request) {
        List<String> values = request.query().get("include");
        if (values == null) {
            return false;
        }
        for (String v : values) {
            for (String item : v.split(",", -1)) {
                if (!item.trim().equals("input")) {
                    String shown = item.length() > 64 ? item.substring(0, 64) + "..." : item;
                    throw Problem.of(ProblemType.INVALID_INCLUDE, "'include' takes 'input' (the submitted data), not '"
                            + shown + "'").with("parameter", "include").exception();
                }
            }
        }
        return true;
    }

    HttpResponse cancel(HttpRequest request, Map<String, String> params) {
        String id = taskId(params);
        return switch (service.cancel(id)) {
            case CancelResult.Cancelled c -> view(200, c.task());
            case CancelResult.Requested r -> view(202, r.task());
            case CancelResult.AlreadyFinished f -> throw Problem.of(ProblemType.TASK_ALREADY_FINISHED,
                    "task " + id + " already ended " + f.task().status() + "; nothing to cancel")
                    .with("task_id", id).with("task_status", f.task().status().name()).exception();
            case CancelResult.NotFound n -> throw notFound(id);
        };
    }

    private static ApiException notFound(String id) {
        return Problem.of(ProblemType.TASK_NOT_FOUND, "no task " + id + " (unknown, or expired after its TTL)")
                .with("task_id", id).exception();
    }

    private static HttpResponse view(int status, Task task) {
        return json(status, TaskView.of(task));
    }

    private static HttpResponse json(int status, Object body) {
        return new HttpResponse(status, Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                Json.writeBytes(body));
    }

    /** Task ids are UUIDs; anything else is refused before the store is asked. */
    static String taskId(Map<String, String> params) {
        String id = params.get("task_id");
        if (!isUuid(id)) {
            String shown = id.length() > 64 ? id.substring(0, 64) + "..." : id;
            throw Problem.of(ProblemType.INVALID_TASK_ID, "'" + shown
                    + "' is not a task id; task ids are UUIDs like 3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f").exception();
        }
        return id.toLowerCase(Locale.ROOT);
    }

    static boolean isUuid(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
