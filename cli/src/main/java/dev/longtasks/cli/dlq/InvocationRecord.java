package dev.longtasks.cli.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.events.TaskEventCodec;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One message of the listener's on-failure destination: the invocation record Lambda writes after
 * the last failed attempt of an asynchronous invocation (AWS Lambda "asynchronous invocation"
 * destinations). Its {@code requestPayload} is the SNS event the listener got, so the task ids
 * come from {@code requestPayload.Records[].Sns.Message}; the error from {@code responsePayload}
 * (the Java runtime writes {@code errorType}, {@code errorMessage} and {@code stackTrace}; a
 * timeout has only {@code errorMessage}).
 *
 * @param message the SQS message it came in
 * @param timestamp when Lambda wrote the record, i.e. the last failure
 * @param condition {@code RetriesExhausted}, {@code EventAgeExceeded}, ...
 * @param attempts {@code requestContext.approximateInvokeCount}
 * @param events the task events of the SNS records; empty when the body is no invocation record
 */
public record InvocationRecord(FailureQueue.Message message, Instant timestamp, String condition, int attempts,
                               String functionArn, String errorType, String errorMessage, List<TaskEvent> events) {

    public static InvocationRecord parse(FailureQueue.Message message) {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(message.body());
        } catch (IOException e) {
            r = null;
        }
        if (r == null || !r.isObject() || !r.has("requestPayload")) {
            return new InvocationRecord(message, message.sentAt(), null, 0, null, null,
                    "not a Lambda invocation record", List.of());
        }
        JsonNode context = r.path("requestContext");
        JsonNode response = r.path("responsePayload");
        String errorMessage = response.isTextual() ? response.asText() : text(response, "errorMessage");
        if (errorMessage == null) {
            errorMessage = text(r.path("responseContext"), "functionError");
        }
        List<TaskEvent> events = new ArrayList<>();
        for (JsonNode record : r.path("requestPayload").path("Records")) {
            TaskEventCodec.decode(record.path("Sns").path("Message").asText("")).ifPresent(events::add);
        }
        return new InvocationRecord(message, instant(text(r, "timestamp"), message.sentAt()), text(context, "condition"),
                context.path("approximateInvokeCount").asInt(0), text(context, "functionArn"),
                text(response, "errorType"), errorMessage, List.copyOf(events));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(String iso, Instant fallback) {
        try {
            return iso == null ? fallback : Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
