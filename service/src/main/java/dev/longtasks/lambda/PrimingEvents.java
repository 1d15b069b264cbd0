package dev.longtasks.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.events.TaskEventCodec;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * The synthetic events SnapStart priming feeds the handlers: shaped like what API Gateway (HTTP
 * API, payload 2.0) and SNS deliver, so the same parsing runs, and aimed at a task that cannot exist.
 */
final class PrimingEvents {
    /** A valid UUID that no task ever gets: ids are random version-4 UUIDs. */
    static final String ABSENT_TASK_ID = "00000000-0000-4000-8000-000000000000";

    private PrimingEvents() {
    }

    static InputStream http(String method, String path, String body) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", method + " " + path);
        e.put("rawPath", path);
        e.put("rawQueryString", "");
        ObjectNode headers = e.putObject("headers");
        headers.put("accept", "application/json");
        headers.put("accept-encoding", "gzip");
        if (body != null) {
            headers.put("content-type", "application/json");
            e.put("body", body);
        }
        ObjectNode http = e.putObject("requestContext").putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        e.put("isBase64Encoded", false);
        return new ByteArrayInputStream(Json.writeBytes(e));
    }

    static InputStream sns(TaskEvent event) {
        ObjectNode sns = Json.MAPPER.createObjectNode();
        sns.put("Type", "Notification");
        sns.put("TopicArn", "arn:aws:sns:us-east-1:000000000000:snapstart-priming");
        sns.put("Message", TaskEventCodec.encode(event));
        ObjectNode attributes = sns.putObject("MessageAttributes");
        TaskEventCodec.attributes(event).forEach((name, value) ->
                attributes.putObject(name).put("Type", "String").put("Value", value));
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("EventSource", "aws:sns");
        record.set("Sns", sns);
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.putArray("Records").add(record);
        return new ByteArrayInputStream(Json.writeBytes(e));
    }
}
