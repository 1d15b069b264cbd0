package dev.longtasks.events;

import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.EventSource;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded bus, publisher and source in one: a bounded queue drained by a fixed number of
 * virtual-thread workers.
 * {@link #publish} waits up to {@code offerTimeout} for room and then fails, so a burst of
 * submits meets back-pressure (HTTP 503) instead of an unbounded backlog.
 */
public final class InProcessEventBus implements EventPublisher, EventSource {

    private static final Logger log = LoggerFactory.getLogger(InProcessEventBus.class);
    private static final TaskEvent POISON = new TaskEvent("", "", "bus.stop", "");

    private final BlockingQueue<TaskEvent> queue;
    private final Duration offerTimeout;
    private final FailureBackoff failures = new FailureBackoff(log, "running tasks from the in-process queue");
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param capacity events that may wait for a worker
     * @param offerTimeout how long {@link #publish} waits for room before it refuses the event
     */
    public InProcessEventBus(int capacity, Duration offerTimeout) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.offerTimeout = offerTimeout;
    }

    /**
     * Starts {@code workers} virtual threads. When a run fails (the store is down) its event is
     * dropped and its task stays PENDING; the worker pauses with backoff before the next event, so
     * an outage does not burn through the queue, and a run of failures is logged once per interval.
     */
    @Override
    public synchronized void start(Function<TaskEvent, RunOutcome> runner, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be positive");
        }
        if (!this.workers.isEmpty()) {
            throw new IllegalStateException("the in-process bus is already started");
        }
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofVirtual().name("task-worker-" + i).start(() -> drain(runner)));
        }
    }

    private void drain(Function<TaskEvent, RunOutcome> runner) {
        while (true) {
            TaskEvent event;
            waiting.incrementAndGet();
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            } finally {
                waiting.decrementAndGet();
            }
            if (event == POISON) {
                return;
            }
            try {
                runner.apply(event);
                failures.succeeded();
            } catch (RuntimeException e) {
                if (!failures.pauseAfter("event " + event.event() + " for task " + event.taskId() + ": " + e)) {
                    return; // interrupted by shutdown
                }
            }
        }
    }

    @Override
    public void publish(TaskEvent event) {
        if (!event.isSubmitted()) {
            return; // only submissions need a worker; completion events have no local subscriber
        }
        // Each refusal is back-pressure: the event is certainly not queued, so the task can be failed.
        if (closed) {
            throw EventPublishException.refused("the event bus is shutting down", null);
        }
        try {
            if (!queue.offer(event, offerTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw EventPublishException.refused("the task queue is full (" + queue.size() + " waiting)", null);
            }
            if (waiting.get() > 0 && Thread.currentThread().isVirtual()) {
                // The offer woke a waiting worker, queued on this carrier: yield to it, so a short
                // task runs (and is often finished) before the caller answers its client, rather
                // than after the answer, when the client's first poll is already on its way.
                Thread.yield();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EventPublishException.refused("interrupted while waiting for room in the task queue", e);
        }
    }

    /** Events accepted but not yet picked up by a worker. */
    public int backlog() {
        return queue.size();
    }

    /**
     * Stops taking events, lets the workers finish what they run for up to {@code grace}, then
     * interrupts them. Returns the events that were never started, so the caller can end their
     * tasks explicitly rather than leave them PENDING with nobody to run them.
     */
    @Override
    public synchronized List<TaskEvent> shutdown(Duration grace) {
        closed = true;
        List<TaskEvent> unstarted = new ArrayList<>();
        queue.drainTo(unstarted);
        for (int i = 0; i < workers.size(); i++) {
            queue.offer(POISON);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread w : workers) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !w.join(Duration.ofNanos(left))) {
                    w.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Thread w : workers) {
            try {
                w.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // A publish that passed the closed check just before shutdown may have landed after the
        // first drain; with the workers gone it would never run, so hand it back as well.
        List<TaskEvent> late = new ArrayList<>();
        queue.drainTo(late);
        late.stream().filter(e -> e != POISON).forEach(unstarted::add);
        return unstarted;
    }

    @Override
    public void close() {
        EventSource.super.close();
    }
}
