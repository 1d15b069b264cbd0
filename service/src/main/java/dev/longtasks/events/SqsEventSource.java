package dev.longtasks.events;

import dev.longtasks.aws.AwsErrors;
import dev.longtasks.task.EventSource;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Runs tasks from an SQS queue subscribed to the system-event topic, so that the local server or
 * a worker can be the listener against real or emulated AWS. Takes raw delivery and the SNS
 * envelope alike; only {@code task.submitted} runs anything.
 *
 * <p>A message is received hidden for one lease, and a {@link VisibilityHeartbeat} keeps it
 * hidden while its task runs, however long that is; if this process dies, it comes back within a
 * lease. It is deleted once the task's state is recorded (finished, already done, ignored, or
 * fenced off). It is left for redelivery when another worker holds the task (it becomes visible
 * again when that lease ends) or when the store failed; SQS redrive then takes over.
 *
 * <p>Long polls carry their own call timeout, above the wait, so that a short
 * {@code TASKS_AWS_CALL_TIMEOUT_SECONDS} never cuts a poll off (a message taken by an abandoned
 * receive would stay hidden for its whole timeout). Repeated failures, of receives or of runs,
 * pause the consumer with backoff and are logged once per interval ({@link FailureBackoff}).
 */
public final class SqsEventSource implements EventSource {
    private static final Logger log = LoggerFactory.getLogger(SqsEventSource.class);
    private static final int MAX_VISIBILITY_SECONDS = 12 * 3600;
    /** A long poll's attempt may take this much longer than its wait before it counts as lost. */
    private static final int POLL_SLACK_SECONDS = 5;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration retryDelay;
    private final int visibilitySeconds;
    private final int waitSeconds;
    private final Clock clock;
    private final List<Thread> consumers = new ArrayList<>();
    private final FailureBackoff receives;
    private final FailureBackoff runs;
    private final FailureBackoff extensions;
    private volatile boolean stopped;

    /**
     * @param lease how long a received message stays hidden (renewed every third of it while its
     *     task runs), and how long after an infrastructure failure; the runner's lease
     * @param waitSeconds long-poll time, 1..20; a consumer notices {@link #shutdown} only after its poll
     */
    public SqsEventSource(SqsClient sqs, String queueUrl, Duration lease, int waitSeconds, Clock clock) {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalArgumentException("SqsEventSource needs a queue URL (TASKS_QUEUE_URL)");
        }
        if (waitSeconds < 1 || waitSeconds > 20) {
            throw new IllegalArgumentException("SQS long-poll wait must be 1..20 s, was " + waitSeconds);
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.retryDelay = lease;
        this.visibilitySeconds = (int) Math.max(1, Math.min(MAX_VISIBILITY_SECONDS, (lease.toMillis() + 999) / 1000));
        this.waitSeconds = waitSeconds;
        this.clock = clock;
        String endpoint = AwsErrors.endpointOf(sqs.serviceClientConfiguration(), "sqs");
        this.receives = new FailureBackoff(log, "SQS ReceiveMessage from " + queueUrl + " at " + endpoint);
        this.runs = new FailureBackoff(log, "running tasks from " + queueUrl);
        this.extensions = new FailureBackoff(log, "SQS ChangeMessageVisibility (heartbeat) on " + queueUrl);
    }

    /** Starts {@code workers} consumers; each takes one message at a time, so a slow task blocks only itself. */
    @Override
    public synchronized void start(Function<TaskEvent, RunOutcome> runner, int workers) {
        for (int i = 0; i < workers; i++) {
            consumers.add(Thread.ofVirtual().name("sqs-consumer-" + i).start(() -> poll(runner)));
        }
        log.info("polling {} with {} consumer(s)", queueUrl, workers);
    }

    private void poll(Function<TaskEvent, RunOutcome> runner) {
        // The poll's own budget: the wait plus slack, whatever TASKS_AWS_CALL_TIMEOUT_SECONDS says.
        Duration attempt = Duration.ofSeconds(waitSeconds + POLL_SLACK_SECONDS);
        ReceiveMessageRequest receive = ReceiveMessageRequest.builder().queueUrl(queueUrl).maxNumberOfMessages(1)
                .waitTimeSeconds(waitSeconds).visibilityTimeout(visibilitySeconds)
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(attempt).apiCallTimeout(attempt.multipliedBy(3)))
                .build();
        while (!stopped) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(receive).messages();
                receives.succeeded();
            } catch (SdkException e) {
                if (stopped) {
                    return;
                }
                receives.pauseAfter(AwsErrors.reason(e));
                continue;
            }
            for (Message m : messages) {
                handle(m, runner);
            }
        }
    }

    /**
     * Handles one delivered message; visible for tests of the delivery rules. When the run fails
     * (the store is down) the message is hidden for a lease and this consumer pauses with backoff.
     */
    void handle(Message m, Function<TaskEvent, RunOutcome> runner) {
        Optional<TaskEvent> event = TaskEventCodec.decode(m.body());
        if (event.isEmpty()) {
            log.error("SQS message {} is not a task event; deleting it: {}", m.messageId(), abbreviate(m.body()));
            delete(m);
            return;
        }
        RunOutcome outcome;
        try {
            outcome = runHidden(m, event.get(), runner);
        } catch (RuntimeException e) {
            hide(m, retryDelay.toSeconds());
            runs.pauseAfter("task " + event.get().taskId() + " could not be run, its message comes back in "
                    + retryDelay.toSeconds() + " s: " + e.getMessage());
            return;
        }
        runs.succeeded();
        switch (outcome) {
            case RunOutcome.HeldElsewhere held -> hide(m, (held.leaseUntil() - clock.millis() + 999) / 1000);
            case RunOutcome.Finished f -> delete(m);
            case RunOutcome.NothingToDo n -> delete(m);
            case RunOutcome.Ignored i -> delete(m);
            case RunOutcome.LostLease l -> delete(m);
        }
    }

    /** Runs the task while a heartbeat keeps its message hidden; the heartbeat has stopped when this returns. */
    private RunOutcome runHidden(Message m, TaskEvent event, Function<TaskEvent, RunOutcome> runner) {
        VisibilityHeartbeat heartbeat = VisibilityHeartbeat.start(sqs, queueUrl, m.receiptHandle(), visibilitySeconds, extensions);
        try {
            return runner.apply(event);
        } finally {
            heartbeat.close();
        }
    }

    private void delete(Message m) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        } catch (SdkException e) {
            // Redelivery is harmless: the task's state is recorded and the next run finds nothing to do.
            log.warn("SQS DeleteMessage on {} failed: {}", queueUrl, AwsErrors.reason(e));
        }
    }

    private void hide(Message m, long seconds) {
        int s = (int) Math.max(1, Math.min(MAX_VISIBILITY_SECONDS, seconds));
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(s));
        } catch (SdkException e) {
            log.warn("SQS ChangeMessageVisibility on {} failed: {}", queueUrl, AwsErrors.reason(e));
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 200 ? String.valueOf(s) : s.substring(0, 200) + "...";
    }

    /**
     * Stops taking messages. A consumer in a long poll notices after up to {@code waitSeconds}; a
     * task already running gets {@code grace} beyond that, then its consumer is interrupted. An
     * unfinished message stays in the queue and becomes visible again: nothing is handed back.
     */
    @Override
    public synchronized List<TaskEvent> shutdown(Duration grace) {
        stopped = true;
        long deadline = System.nanoTime() + grace.plusSeconds(waitSeconds).toNanos();
        for (Thread t : consumers) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.of();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }
}
