package dev.longtasks.cli.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.events.SnsEventPublisher;
import dev.longtasks.events.TaskEventCodec;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A synthetic SNS Lambda event carrying one {@code task.submitted} event, shaped exactly like what
 * SNS delivers to the listener (Records[0].Sns with Message and MessageAttributes).
 */
public final class SnsEvents {
    private SnsEvents() {
    }

    /** The SNS message body: the small system event, never the payload (DESIGN §3). */
    public static String message(TaskEvent e) {
        return TaskEventCodec.encode(e);
    }

    public static ObjectNode lambdaEvent(TaskEvent e, String topicArn, Instant now) {
        ObjectNode attrs = Json.MAPPER.createObjectNode();
        TaskEventCodec.attributes(e).forEach((name, value) -> attrs.set(name, attribute(value)));

        ObjectNode sns = Json.MAPPER.createObjectNode();
        sns.put("Type", "Notification");
        sns.put("MessageId", UUID.randomUUID().toString());
        sns.put("TopicArn", topicArn);
        sns.put("Subject", SnsEventPublisher.SUBJECT);
        sns.put("Message", message(e));
        sns.put("Timestamp", now.toString());
        sns.put("SignatureVersion", "1");
        sns.put("Signature", "EXAMPLE");
        sns.put("SigningCertUrl", "EXAMPLE");
        sns.put("UnsubscribeUrl", "EXAMPLE");
        sns.set("MessageAttributes", attrs);

        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", topicArn + ":" + UUID.nameUUIDFromBytes(topicArn.getBytes(StandardCharsets.UTF_8)));
        record.set("Sns", sns);

        ObjectNode event = Json.MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        records.add(record);
        return event;
    }

    private static ObjectNode attribute(String value) {
        ObjectNode a = Json.MAPPER.createObjectNode();
        a.put("Type", "String");
        a.put("Value", value);
        return a;
    }
}
