package dev.longtasks.cli.dlq;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.StackOutputs;
import dev.longtasks.cli.aws.StageNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The listener's on-failure destination, an SQS queue of Lambda invocation records. Reading takes
 * every message once and hides it from other readers for {@link #VISIBILITY_SECONDS}; what a
 * command does not delete it hands back at once ({@link #release}), so a listing changes nothing.
 */
public final class FailureQueue {
    /** Long enough to read the whole queue and act on it; a crashed taskctl gives the records back after it. */
    static final int VISIBILITY_SECONDS = 60;
    private static final int BATCH = 10;

    /** One SQS message: its body is (normally) an invocation record. */
    public record Message(String messageId, String receiptHandle, String body, Instant sentAt) {
    }

    private final SqsClient sqs;
    private final String url;

    public FailureQueue(SqsClient sqs, String url) {
        this.sqs = sqs;
        this.url = url;
    }

    /** {@code --queue-url} if given, else the stack's {@code ListenerFailureQueueUrl} output. */
    public static FailureQueue locate(AwsClients clients, StageNames names, String queueUrl) {
        if (queueUrl != null) {
            return new FailureQueue(clients.sqs(), queueUrl);
        }
        String region = clients.region().id();
        StackOutputs stack = StackOutputs.read(clients, names).orElseThrow(() -> new CliException(ExitCodes.CONFIG,
                "stack " + names.stackName() + " does not exist in " + region + " — deploy the stage, "
                        + "or pass --queue-url"));
        String url = stack.get(StackOutputs.LISTENER_FAILURE_QUEUE_URL).orElseThrow(() -> new CliException(ExitCodes.CONFIG,
                "stack " + names.stackName() + " has no " + StackOutputs.LISTENER_FAILURE_QUEUE_URL + " output — deploy "
                        + "again (" + names.deployCommand(region) + "), or pass --queue-url"));
        return new FailureQueue(clients.sqs(), url);
    }

    public String url() {
        return url;
    }

    /** Every message on the queue, each once, oldest first as SQS hands them out; at most {@code max}. */
    public List<Message> receiveAll(int max) {
        Map<String, Message> seen = new LinkedHashMap<>();
        while (seen.size() < max) {
            // A long poll: a short one may sample only some of SQS's servers and answer empty too early.
            ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(BATCH).waitTimeSeconds(1)
                    .visibilityTimeout(VISIBILITY_SECONDS).messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP));
            int before = seen.size();
            for (var m : r.messages()) {
                String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                seen.putIfAbsent(m.messageId(), new Message(m.messageId(), m.receiptHandle(), m.body(),
                        sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent))));
            }
            if (seen.size() == before) {
                break;
            }
        }
        return new ArrayList<>(seen.values());
    }

    /** Makes the messages visible again at once. */
    public void release(List<Message> messages) {
        for (List<Message> chunk : chunks(messages)) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build());
            }
            // A message that cannot be released reappears by itself after the visibility timeout.
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
        }
    }

    /** Deletes the messages; fails naming those SQS refused. */
    public void delete(List<Message> messages) {
        List<String> failed = new ArrayList<>();
        for (List<Message> chunk : chunks(messages)) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            var r = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
            for (BatchResultErrorEntry e : r.failed()) {
                failed.add(chunk.get(Integer.parseInt(e.id())).messageId() + " (" + e.code() + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new CliException(ExitCodes.CONFIG, "SQS did not delete " + failed.size() + " record(s) from " + url
                    + ": " + String.join(", ", failed));
        }
    }

    private static List<List<Message>> chunks(List<Message> messages) {
        List<List<Message>> out = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += BATCH) {
            out.add(messages.subList(from, Math.min(messages.size(), from + BATCH)));
        }
        return out;
    }
}
