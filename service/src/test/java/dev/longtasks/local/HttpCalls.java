package dev.longtasks.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A real HTTP client against a local server on loopback. */
final class HttpCalls {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    HttpCalls(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return CLIENT.send(request, BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder b = request(path).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    HttpResponse<byte[]> postJson(String path, String json, String... headers) {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    HttpResponse<byte[]> delete(String path) {
        return send(request(path).DELETE().build());
    }

    String submit(String path, String json) {
        HttpResponse<byte[]> r = postJson(path, json);
        if (r.statusCode() != 202) {
            throw new AssertionError("submit answered " + r.statusCode() + ": " + text(r));
        }
        return json(r).get("task_id").asText();
    }

    JsonNode task(String id) {
        HttpResponse<byte[]> r = get("/v1/tasks/" + id);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET answered " + r.statusCode() + ": " + text(r));
        }
        return json(r);
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return Json.read(text(r));
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
