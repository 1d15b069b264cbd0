package dev.longtasks.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.longtasks.json.Json;
import dev.longtasks.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The body of {@code GET /v1/tasks/{id}} (DESIGN §4). It is streamed straight from the record:
 * the stored result is already JSON text written by this service, so it is embedded as a JSON
 * value without being parsed and re-serialised on every poll.
 */
public final class TaskView {
    private TaskView() {
    }

    public static byte[] toJson(Task t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("task_id", t.taskId());
            g.writeStringField("task_type", t.taskType());
            g.writeStringField("status", t.status().name());
            g.writeFieldName("progress");
            if (t.progress() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeNumberField("percent", t.progress().percent());
                g.writeStringField("message", t.progress().message());
                g.writeEndObject();
            }
            g.writeFieldName("result");
            if (t.result() == null) {
                g.writeNull();
            } else {
                g.writeRawValue(t.result());
            }
            g.writeFieldName("error");
            if (t.error() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("type", t.error().type());
                g.writeStringField("message", t.error().message());
                g.writeEndObject();
            }
            g.writeNumberField("attempt", t.attempt());
            g.writeBooleanField("cancel_requested", t.cancelRequested());
            instant(g, "created_at", t.createdAt());
            instant(g, "updated_at", t.updatedAt());
            instant(g, "started_at", t.startedAt());
            instant(g, "finished_at", t.finishedAt());
            instant(g, "expires_at", t.ttl() > 0 ? Instant.ofEpochSecond(t.ttl()) : null);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            // Instant.toString is ISO-8601 in UTC with a trailing Z.
            g.writeStringField(name, value.toString());
        }
    }
}
