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

/**
 * Runs tasks from an SQS queue subscribed to the system-event topic, so that the local server or
 * a worker can be the listener against real or emulated AWS. Takes raw delivery and the SNS
 * envelope alike; only {@code task.submitted} runs anything.
 *
 * <p>A message is deleted once the task's state is recorded (finished, already done, ignored,
 * or fenced off). It is left for redelivery when another worker holds the task (it becomes
 * visible again when that lease ends) or when the store failed; SQS redrive then takes over.
 */
public final class SqsEventSource implements EventSource {
    private static final Logger log = LoggerFactory.getLogger(SqsEventSource.class);
    private static final int MAX_VISIBILITY_SECONDS = 12 * 3600;

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration retryDelay;
    private final int waitSeconds;
    private final Clock clock;
    private final List<Thread> consumers = new ArrayList<>();
    private final String endpoint;
    private volatile boolean stopped;

    /**
     * @param retryDelay how long a message stays hidden after an infrastructure failure (the lease)
     * @param waitSeconds long-poll time, 1..20; a consumer notices {@link #shutdown} only after its poll
     */
    public SqsEventSource(SqsClient sqs, String queueUrl, Duration retryDelay, int waitSeconds, Clock clock) {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalArgumentException("SqsEventSource needs a queue URL (TASKS_QUEUE_URL)");
        }
        if (waitSeconds < 1 || waitSeconds > 20) {
            throw new IllegalArgumentException("SQS long-poll wait must be 1..20 s, was " + waitSeconds);
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.retryDelay = retryDelay;
        this.waitSeconds = waitSeconds;
        this.clock = clock;
        this.endpoint = AwsErrors.endpointOf(sqs.serviceClientConfiguration(), "sqs");
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
        int failures = 0;
        while (!stopped) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1)
                        .waitTimeSeconds(waitSeconds)).messages();
                failures = 0;
            } catch (SdkException e) {
                if (stopped) {
                    return;
                }
                failures++;
                log.warn("SQS ReceiveMessage from {} at {} failed: {}", queueUrl, endpoint, AwsErrors.reason(e));
                sleep(Math.min(30_000L, 500L << Math.min(failures, 6)));
                continue;
            }
            for (Message m : messages) {
                handle(m, runner);
            }
        }
    }

    /** Handles one delivered message; visible for tests of the delivery rules. */
    void handle(Message m, Function<TaskEvent, RunOutcome> runner) {
        Optional<TaskEvent> event = TaskEventCodec.decode(m.body());
        if (event.isEmpty()) {
            log.error("SQS message {} is not a task event; deleting it: {}", m.messageId(), abbreviate(m.body()));
            delete(m);
            return;
        }
        RunOutcome outcome;
        try {
            outcome = runner.apply(event.get());
        } catch (RuntimeException e) {
            log.warn("task {} could not be run, the message will be redelivered in {} s: {}",
                    event.get().taskId(), retryDelay.toSeconds(), e.getMessage());
            hide(m, retryDelay.toSeconds());
            return;
        }
        switch (outcome) {
            case RunOutcome.HeldElsewhere held -> hide(m, (held.leaseUntil() - clock.millis() + 999) / 1000);
            case RunOutcome.Finished f -> delete(m);
            case RunOutcome.NothingToDo n -> delete(m);
            case RunOutcome.Ignored i -> delete(m);
            case RunOutcome.LostLease l -> delete(m);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
