package dev.longtasks.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    HttpResponse call(String method, String path, byte[] body, String... headerPairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return api.handle(new HttpRequest(method, path, headers, Map.of(), body, "127.0.0.1"));
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
