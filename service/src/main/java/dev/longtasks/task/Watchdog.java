package dev.longtasks.task;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per {@link TaskRunner} that watches every attempt its workers run: it renews each
 * lease every heartbeat, and takes an attempt over when its deadline passes, its lease is lost
 * or a heartbeat meets a store failure. Taking over means: mark the attempt, interrupt the
 * worker thread (the handler runs on it), and settle the task right away, exactly as the
 * runner would have at that moment. The worker returns that outcome once the handler returns.
 *
 * <p>Registering and ending a watch costs a map insert and removal, no thread and no timer: the
 * thread ticks at a fixed period (half the heartbeat, at most 100 ms) while attempts run, is
 * woken early only by an attempt due before its next tick, and ends after a minute without any.
 */
final class Watchdog {
    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private static final long IDLE_EXIT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final TaskRunner runner;
    private final Clock clock;
    private final long heartbeatMillis;
    private final long tickNanos;
    private final Set<Watch> running = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private Thread thread;                   // guarded by lifecycle
    private volatile long nextTickNanos = Long.MAX_VALUE;

    Watchdog(TaskRunner runner, RunnerSettings settings, Clock clock) {
        this.runner = runner;
        this.clock = clock;
        this.heartbeatMillis = settings.heartbeat().toMillis();
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(100, heartbeatMillis / 2)));
    }

    /** Starts watching the attempt the calling thread is about to run. */
    Watch watch(Task task, TaskRunner.RunningContext ctx, long deadlineMillis) {
        Watch w = new Watch(task, ctx, Thread.currentThread(), clock.millis(), deadlineMillis);
        running.add(w);
        Thread t = ensureRunning();
        if (deadlineMillis - clock.millis() < TimeUnit.NANOSECONDS.toMillis(nextTickNanos - System.nanoTime())) {
            LockSupport.unpark(t); // due before the next tick
        }
        return w;
    }

    private Thread ensureRunning() {
        synchronized (lifecycle) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("task-watchdog").start(this::loop);
            }
            return thread;
        }
    }

    private void loop() {
        long idleSince = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (running.isEmpty()) {
                if (now - idleSince > IDLE_EXIT_NANOS) {
                    synchronized (lifecycle) {
                        if (running.isEmpty()) {
                            thread = null;
                            nextTickNanos = Long.MAX_VALUE;
                            return;
                        }
                    }
                }
            } else {
                idleSince = now;
                for (Watch w : running) {
                    check(w);
                }
            }
            nextTickNanos = System.nanoTime() + tickNanos;
            LockSupport.parkNanos(this, tickNanos);
        }
    }

    private void check(Watch w) {
        long nowMillis = clock.millis();
        try {
            if (nowMillis >= w.deadlineMillis) {
                w.takeOver(() -> runner.timedOut(w.task, w.startMillis, w.deadlineMillis));
            } else if (nowMillis - w.ctx.lastWriteMillis() >= heartbeatMillis && w.state.get() == Watch.RUNNING) {
                try {
                    w.ctx.heartbeat();
                } catch (RuntimeException e) {
                    w.takeOver(() -> runner.heartbeatFailed(w.task, w.ctx, e));
                }
            }
        } catch (RuntimeException e) {
            log.error("task {} attempt {}: the watchdog failed: {}", w.task.taskId(), w.task.attempt(), e.toString());
        }
    }

    /** One running attempt. Whoever moves it out of RUNNING first (worker or watchdog) settles the task. */
    final class Watch {
        static final int RUNNING = 0;
        static final int ENDED = 1;
        static final int TAKEN_OVER = 2;

        final Task task;
        final TaskRunner.RunningContext ctx;
        final Thread worker;
        final long startMillis;
        final long deadlineMillis;
        final AtomicInteger state = new AtomicInteger(RUNNING);
        final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();

        Watch(Task task, TaskRunner.RunningContext ctx, Thread worker, long startMillis, long deadlineMillis) {
            this.task = task;
            this.ctx = ctx;
            this.worker = worker;
            this.startMillis = startMillis;
            this.deadlineMillis = deadlineMillis;
        }

        /** Called by the worker when the handler returned: true if the worker settles the task. */
        boolean end() {
            running.remove(this);
            return state.compareAndSet(RUNNING, ENDED);
        }

        private void takeOver(java.util.function.Supplier<RunOutcome> settle) {
            if (!state.compareAndSet(RUNNING, TAKEN_OVER)) {
                return;
            }
            running.remove(this);
            worker.interrupt();
            try {
                outcome.complete(settle.get());
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }

        /**
         * The outcome the watchdog settled on; waits for it if the handler returned while it was
         * being recorded. Clears the interrupt the watchdog sent, which happened before the outcome.
         */
        RunOutcome outcome() {
            try {
                return outcome.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            } finally {
                Thread.interrupted(); // the watchdog's interrupt came before the outcome
            }
        }
    }
}
