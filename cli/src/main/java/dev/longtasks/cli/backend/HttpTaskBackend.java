package dev.longtasks.cli.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.Refusals;
import dev.longtasks.json.Json;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The task API over HTTP: {@code taskctl dev}, a self-hosted server, or API Gateway.
 *
 * <p>It uses {@link HttpURLConnection} (keep-alive, HTTPS through the JDK), not
 * {@code java.net.http.HttpClient}: in a fresh JVM the latter measured ~300 ms more to its first
 * answer here, which a short-lived CLI pays on every run.
 */
public final class HttpTaskBackend implements TaskBackend {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final RequestAuth auth;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    /** A status code and the body as text (the error body for 4xx/5xx). */
    private record Reply(int statusCode, String body) {
    }

    public HttpTaskBackend(URI base) {
        this(base, new RequestAuth.None());
    }

    /** Every request carries what {@code auth} adds: a bearer token or a SigV4 signature. */
    public HttpTaskBackend(URI base, RequestAuth auth) {
        this.base = base;
        this.auth = auth;
    }

    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public String submit(String type, JsonNode data) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", type);
        body.set("data", data);
        Reply r = send("POST", "/v1/tasks", Json.writeBytes(body));
        if (r.statusCode() / 100 != 2) {
            throw Refusals.problem("submit", r.statusCode(), r.body());
        }
        JsonNode id = parse(r).get("task_id");
        if (id == null || !id.isTextual()) {
            throw new CliException(ExitCodes.CONFIG, base + " answered " + r.statusCode() + " without a task_id — is --api-url the task API?");
        }
        return id.asText();
    }

    /**
     * The HTTP API has no batch route: the posts run concurrently and the outcomes come back in
     * input order. A refused post refuses its line; when every post failed, the first failure is thrown.
     */
    @Override
    public List<SubmitOutcome> submitAll(String type, List<JsonNode> data) {
        List<Future<String>> futures = new ArrayList<>(data.size());
        Semaphore inFlight = new Semaphore(16);
        for (JsonNode d : data) {
            futures.add(pool.submit(() -> {
                inFlight.acquire();
                try {
                    return submit(type, d);
                } finally {
                    inFlight.release();
                }
            }));
        }
        List<SubmitOutcome> outcomes = new ArrayList<>(data.size());
        CliException first = null;
        for (Future<String> f : futures) {
            try {
                outcomes.add(new SubmitOutcome.Stored(await(f)));
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.INTERRUPTED) {
                    throw e;
                }
                first = first == null ? e : first;
                outcomes.add(new SubmitOutcome.Refused(e.getMessage(), null));
            }
        }
        if (first != null && outcomes.stream().noneMatch(o -> o instanceof SubmitOutcome.Stored)) {
            throw first;
        }
        return outcomes;
    }

    @Override
    public Optional<TaskView> get(String taskId) {
        Reply r = send("GET", "/v1/tasks/" + encode(taskId), null);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw Refusals.problem("status", r.statusCode(), r.body());
        }
        return Optional.of(read(r));
    }

    /** One GET per id, all at once: the closest the HTTP API gets to a batch read. */
    @Override
    public Map<String, TaskView> getAll(List<String> taskIds) {
        if (taskIds.size() == 1) {
            Map<String, TaskView> one = new LinkedHashMap<>();
            get(taskIds.getFirst()).ifPresent(t -> one.put(t.taskId(), t));
            return one;
        }
        Map<String, Future<Optional<TaskView>>> futures = new LinkedHashMap<>();
        for (String id : taskIds) {
            futures.put(id, pool.submit(() -> get(id)));
        }
        Map<String, TaskView> found = new LinkedHashMap<>();
        futures.forEach((id, f) -> await(f).ifPresent(t -> found.put(id, t)));
        return found;
    }

    /**
     * One DELETE: the API answers 200 with the cancelled view, 202 with the running view that now
     * has {@code cancel_requested}, 409 when the task had already ended, 404 when it is unknown.
     */
    @Override
    public CancelResult cancel(String taskId) {
        Reply r = send("DELETE", "/v1/tasks/" + encode(taskId), null);
        return switch (r.statusCode()) {
            case 200 -> new CancelResult.Cancelled(task(read(r)));
            case 202 -> new CancelResult.Requested(task(read(r)));
            case 404 -> new CancelResult.NotFound();
            case 409 -> get(taskId).<CancelResult>map(v -> new CancelResult.AlreadyFinished(task(v)))
                    .orElseGet(CancelResult.NotFound::new);
            default -> throw Refusals.problem("cancel", r.statusCode(), r.body());
        };
    }

    @Override
    public TaskListView list(ListQuery query) {
        return read("list", "/v1/tasks" + ListQuery.queryString(query.parameters()), TaskListView.class);
    }

    @Override
    public TaskStatsView stats(String since) {
        String q = since == null ? "" : ListQuery.queryString(Map.of("since", List.of(since)));
        return read("stats", "/v1/tasks/stats" + q, TaskStatsView.class);
    }

    private <T> T read(String operation, String pathAndQuery, Class<T> type) {
        Reply r = send("GET", pathAndQuery, null);
        if (r.statusCode() != 200) {
            throw Refusals.problem(operation, r.statusCode(), r.body());
        }
        try {
            return Json.MAPPER.readValue(r.body(), type);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONFIG, base + " answered " + operation + " with something taskctl cannot read "
                    + "— is --api-url the task API, of this version?", e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Reply send(String method, String path, byte[] body) {
        HttpURLConnection c = null;
        URI uri = uri(path);
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Accept", "application/json");
            auth.headers(method, uri, body).forEach(c::setRequestProperty);
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (in != null) {
                in.close();
            }
            return new Reply(status, text);
        } catch (ConnectException | NoRouteToHostException | UnknownHostException e) {
            throw unreachable(e);
        } catch (SocketTimeoutException e) {
            throw c != null && e.getMessage() != null && e.getMessage().contains("connect")
                    ? unreachable(e)
                    : new CliException(ExitCodes.CONFIG, "the task API at " + base + " did not answer within "
                            + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CliException(ExitCodes.INTERRUPTED, "interrupted", e);
            }
            throw new CliException(ExitCodes.CONFIG, "talking to the task API at " + base + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private CliException unreachable(IOException e) {
        return new CliException(ExitCodes.CONFIG, "cannot reach the task API at " + base
                + " — is it running? Start one with `taskctl dev`, or check --api-url/--stage", e);
    }

    private TaskView read(Reply r) {
        try {
            return TaskViewReader.read(r.body());
        } catch (IOException e) {
            throw notATaskView(e);
        }
    }

    private Task task(TaskView v) {
        try {
            return v.toTask();
        } catch (DateTimeParseException e) {
            throw notATaskView(e);
        }
    }

    private CliException notATaskView(Exception e) {
        return new CliException(ExitCodes.CONFIG, base + " answered with something that is not a task view — is --api-url the task API?", e);
    }

    private JsonNode parse(Reply r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONFIG, base + " answered " + r.statusCode() + " with a body that is not JSON — is --api-url the task API?", e);
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
