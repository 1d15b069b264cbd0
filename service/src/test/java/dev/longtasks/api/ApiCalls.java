package dev.longtasks.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Builds requests for the transport-neutral API and reads its answers. */
final class ApiCalls {
    private final HttpApi api;

    ApiCalls(HttpApi api) {
        this.api = api;
    }

    /**
     * The API over a memory store with its listing, with the access control that {@code stage}
     * and the environment pairs ({@code TASKS_API_TOKEN}, {@code TASKS_API_AUTH}, ...) configure.
     */
    static ApiCalls withAccess(TaskService service, MemoryTaskStore store, Clock clock, String stage, String... envPairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i + 1 < envPairs.length; i += 2) {
            env.put(envPairs[i], envPairs[i + 1]);
        }
        ApiOptions options = new ApiOptions(ApiOptions.DEFAULT_MAX_BODY_BYTES, stage, "test", 1, ApiOptions.DEFAULT_GZIP_MIN_BYTES);
        return new ApiCalls(TaskApi.builder(service).options(options).listing(store, "memory")
                .access(AccessControl.fromEnv(stage, env)).clock(clock).build());
    }

    /** {@code path} may carry a query string ({@code /v1/tasks?status=RUNNING}); it is decoded as a transport would. */
    HttpResponse call(String method, String path, byte[] body, String... headerPairs) {
        return api.handle(request(method, path, body, null, headerPairs));
    }

    HttpResponse handle(HttpRequest request) {
        return api.handle(request);
    }

    static HttpRequest request(String method, String path, byte[] body, Principal principal, String... headerPairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        int q = path.indexOf('?');
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return new HttpRequest(method, q < 0 ? path : path.substring(0, q), headers, query, body, "127.0.0.1", principal);
    }

    HttpResponse get(String path, String... headers) {
        return call("GET", path, null, headers);
    }

    HttpResponse postJson(String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return call("POST", path, json.getBytes(StandardCharsets.UTF_8), all);
    }

    String submitExample(String dataJson) {
        HttpResponse r = postJson("/v1/example/process-task", "{\"data\":" + dataJson + "}");
        if (r.status() != 202) {
            throw new AssertionError("submit answered " + r.status() + ": " + r.bodyText());
        }
        return json(r).get("task_id").asText();
    }

    JsonNode task(String id) {
        HttpResponse r = get("/v1/tasks/" + id);
        if (r.status() != 200) {
            throw new AssertionError("GET task answered " + r.status() + ": " + r.bodyText());
        }
        return json(r);
    }

    static JsonNode json(HttpResponse r) {
        return Json.read(r.bodyText());
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
