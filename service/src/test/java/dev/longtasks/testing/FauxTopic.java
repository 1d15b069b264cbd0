package dev.longtasks.testing;

import dev.longtasks.aws.AwsClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A topic with a queue subscribed to it in fauxqs, named uniquely for one test. */
public record FauxTopic(AwsClients clients, String topicArn, String queueUrl) {

    public static FauxTopic create(AwsClients clients, boolean rawDelivery, String filterPolicyJson) {
        String name = StandIns.uniqueName("events");
        String topicArn = clients.sns().createTopic(r -> r.name(name)).topicArn();
        String queueUrl = clients.sqs().createQueue(r -> r.queueName(name + "-q")).queueUrl();
        String queueArn = clients.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<String, String> attrs = new HashMap<>();
        attrs.put("RawMessageDelivery", Boolean.toString(rawDelivery));
        if (filterPolicyJson != null) {
            attrs.put("FilterPolicy", filterPolicyJson);
        }
        clients.sns().subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(attrs));
        return new FauxTopic(clients, topicArn, queueUrl);
    }

    /** Receives until {@code count} messages arrived (they stay in flight, not deleted) or the deadline passes. */
    public List<Message> receive(int count, Duration deadline) {
        List<Message> got = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (got.size() < count && System.nanoTime() < end) {
            got.addAll(clients.sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .visibilityTimeout(60)).messages());
        }
        return got;
    }

    /** Visible + in-flight messages, as SQS counts them. */
    public int messagesLeft() {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    public void delete() {
        clients.sqs().deleteQueue(r -> r.queueUrl(queueUrl));
        clients.sns().deleteTopic(r -> r.topicArn(topicArn));
    }
}
