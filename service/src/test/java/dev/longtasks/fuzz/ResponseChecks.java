package dev.longtasks.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * What every answer of the API must satisfy, whatever was asked: no 5xx, no internals leaked,
 * problem+json for every error. Shared by the HTTP-core and the Lambda-adapter properties.
 */
public final class ResponseChecks {
    /** Text only a stack trace puts in a body: never allowed in any answer. */
    static final List<String> STACK_TRACE = List.of("\tat ", "at dev.", "at java.", "Caused by", "jdk.internal");
    /**
     * Text that betrays an exception or an internal class: never allowed in an error answer. (A 200
     * may say "Exception": the OpenAPI document names error types, and a task view's
     * {@code error.type} is by design the handler's exception class name.)
     */
    static final List<String> INTERNALS = List.of("Exception", "java.", "com.fasterxml", "software.amazon",
            "NullPointer", "dev.longtasks");

    private ResponseChecks() {
    }

    /** The body as the client reads it (inflated when the server gzipped it). */
    public static String bodyText(byte[] body, String contentEncoding) {
        if (contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("the server sent a broken gzip body", e);
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * @param requestText everything the client sent, as text: a marker the client itself sent
     *     (echoed in "no route /x/java.lang") is not a leak
     */
    public static void check(int status, String contentType, String body, String requestText) {
        if (status < 100 || status > 499) {
            throw new AssertionError("status " + status + " (body: " + abbreviate(body) + ")");
        }
        List<String> forbidden = new ArrayList<>(STACK_TRACE);
        if (status >= 400) {
            forbidden.addAll(INTERNALS);
        }
        for (String marker : forbidden) {
            if (!requestText.contains(marker) && body.contains(marker)) {
                throw new AssertionError("a " + status + " body leaks internals (" + marker + "): " + abbreviate(body));
            }
        }
        if (status >= 400) {
            assertThat(contentType).as("content type of a %d", status).startsWith("application/problem+json");
            JsonNode problem = Json.read(body);
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("type").asText()).isNotBlank();
            assertThat(problem.path("title").asText()).isNotBlank();
        }
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
