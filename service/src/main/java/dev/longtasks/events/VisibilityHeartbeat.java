package dev.longtasks.events;

import dev.longtasks.aws.AwsErrors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keeps one received SQS message hidden while its task runs: every third of the visibility
 * timeout it sets the timeout again from now ({@code ChangeMessageVisibility}). Without this a
 * task that runs longer than the timeout has its message delivered again, its receive count
 * climbs, and the redrive policy moves it to the dead-letter queue while the task is healthy.
 *
 * <p>A failed extension is logged (through the source's {@link FailureBackoff}, so at most a
 * line per interval) and the next one is tried on schedule: at worst the message becomes visible,
 * another consumer finds the task held under its lease, and hides the message again. If this
 * process dies, the extensions stop and the message comes back within one timeout.
 */
final class VisibilityHeartbeat implements AutoCloseable {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String receiptHandle;
    private final int visibilitySeconds;
    private final FailureBackoff failures;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;

    private VisibilityHeartbeat(SqsClient sqs, String queueUrl, String receiptHandle, int visibilitySeconds,
                                FailureBackoff failures) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.receiptHandle = receiptHandle;
        this.visibilitySeconds = visibilitySeconds;
        this.failures = failures;
        this.thread = Thread.ofVirtual().name("sqs-visibility").start(this::beat);
    }

    /** Starts extending the message's visibility to {@code visibilitySeconds} every third of it. */
    static VisibilityHeartbeat start(SqsClient sqs, String queueUrl, String receiptHandle, int visibilitySeconds,
                                     FailureBackoff failures) {
        return new VisibilityHeartbeat(sqs, queueUrl, receiptHandle, visibilitySeconds, failures);
    }

    private void beat() {
        long period = Math.max(1, visibilitySeconds * 1000L / 3);
        while (true) {
            try {
                stopped.get(period, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                extend();
            } catch (InterruptedException | ExecutionException e) {
                return;
            }
        }
    }

    private void extend() {
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle)
                    .visibilityTimeout(visibilitySeconds));
            failures.succeeded();
        } catch (SdkException e) {
            failures.failed(AwsErrors.reason(e));
        }
    }

    /** Stops extending; returns once an extension in flight has ended, so none lands after a delete. */
    @Override
    public void close() {
        stopped.complete(null);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
