package dev.longtasks.events;

import dev.longtasks.aws.AwsErrors;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.TaskEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * Publishes the small system event of DESIGN §3 ({@link TaskEventCodec}) to the SNS topic, with the
 * message attributes the listener's subscription filter reads ({@code event_type}) and
 * {@code task_type}, and the seed's Subject {@code example_event}.
 */
public final class SnsEventPublisher implements EventPublisher {
    public static final String SUBJECT = "example_event";
    static final int MAX_BATCH = 10;

    private final SnsClient sns;
    private final String topicArn;
    private final String endpoint;

    public SnsEventPublisher(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        if (topicArn == null || !topicArn.startsWith("arn:")) {
            throw new IllegalArgumentException("SnsEventPublisher needs a topic ARN (arn:aws:sns:...), got '" + topicArn + "'");
        }
        this.topicArn = topicArn;
        this.endpoint = AwsErrors.endpointOf(sns.serviceClientConfiguration(), "sns");
    }

    static Map<String, MessageAttributeValue> attributes(TaskEvent e) {
        Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
        TaskEventCodec.attributes(e).forEach((name, value) -> a.put(name, string(value)));
        return a;
    }

    private static MessageAttributeValue string(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }

    @Override
    public void publish(TaskEvent event) {
        try {
            sns.publish(r -> r.topicArn(topicArn).subject(SUBJECT).message(TaskEventCodec.encode(event))
                    .messageAttributes(attributes(event)));
        } catch (SdkException e) {
            throw new EventPublishException("SNS Publish to " + topicArn + " at " + endpoint + " failed: "
                    + AwsErrors.reason(e), e);
        }
    }

    @Override
    public void publishAll(List<TaskEvent> events) {
        List<String> failed = new ArrayList<>();
        for (int from = 0; from < events.size(); from += MAX_BATCH) {
            List<TaskEvent> chunk = events.subList(from, Math.min(events.size(), from + MAX_BATCH));
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                TaskEvent e = chunk.get(i);
                entries.add(PublishBatchRequestEntry.builder().id(Integer.toString(i)).subject(SUBJECT)
                        .message(TaskEventCodec.encode(e)).messageAttributes(attributes(e)).build());
            }
            try {
                var response = sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(entries));
                if (response.hasFailed()) {
                    response.failed().forEach(f -> failed.add(chunk.get(Integer.parseInt(f.id())).taskId()
                            + " (" + f.code() + (f.message() == null ? "" : ": " + f.message()) + ")"));
                }
            } catch (SdkException e) {
                throw new EventPublishException("SNS PublishBatch to " + topicArn + " at " + endpoint + " failed: "
                        + AwsErrors.reason(e), e);
            }
        }
        if (!failed.isEmpty()) {
            throw new EventPublishException("SNS PublishBatch to " + topicArn + " refused " + failed.size()
                    + " event(s): " + String.join(", ", failed));
        }
    }
}
