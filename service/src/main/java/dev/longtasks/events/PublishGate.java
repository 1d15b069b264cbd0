package dev.longtasks.events;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.longtasks.task.EventPublishException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one publish at a time write to the shared channel, and only while it can finish in time.
 *
 * <p>During a memory or disk alarm the broker stops reading from publishing connections. A write
 * then fills the socket buffers and blocks until the alarm ends, however long that is; with a
 * monitor around it every other publisher queues behind it, past any timeout, and on JDK 21-23
 * each of them pins its virtual thread's carrier until HTTP and heartbeats stall. So:
 * <ul>
 *   <li>the broker's {@code connection.blocked} notification closes the gate until
 *       {@code connection.unblocked} (or a recovered connection) opens it again;</li>
 *   <li>a publisher waits for an open gate and for the lock (a {@link ReentrantLock}, which does
 *       not pin) no longer than its deadline, and checks the deadline once more before writing;</li>
 *   <li>whoever gives up fails with an {@link EventPublishException} that names the alarm.</li>
 * </ul>
 * The broker sends the notification when it blocks the connection, i.e. after the first publish
 * of the alarm: what was written before it stays in the socket and is confirmed, or times out,
 * like any unconfirmed message.
 */
final class PublishGate {
    private final String where;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile CompletableFuture<Void> open = CompletableFuture.completedFuture(null);
    private volatile String blockedBecause;

    PublishGate(Connection connection, String where) {
        this.where = where;
        // Both callbacks run on the connection's reader thread, one after the other.
        connection.addBlockedListener(reason -> {
            blockedBecause = reason;
            open = new CompletableFuture<>();
        }, this::reopen);
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    reopen(); // a new connection starts unblocked; the broker blocks it again if need be
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    // nothing to do until the new connection is up
                }
            });
        }
    }

    private void reopen() {
        blockedBecause = null;
        open.complete(null);
    }

    /**
     * Returns holding the gate (call {@link #leave} after the write), or throws when the deadline
     * ({@link System#nanoTime} based) passes first.
     */
    void enter(long deadlineNanos, long timeoutMillis) {
        try {
            while (true) {
                open.get(remaining(deadlineNanos, timeoutMillis), TimeUnit.NANOSECONDS);
                if (!lock.tryLock(remaining(deadlineNanos, timeoutMillis), TimeUnit.NANOSECONDS)) {
                    throw new EventPublishException("RabbitMQ at " + where + " did not take the message within "
                            + timeoutMillis + " ms: another publish on the connection is still being written" + blockedNote());
                }
                if (open.isDone()) {
                    if (System.nanoTime() < deadlineNanos) {
                        return;
                    }
                    lock.unlock();
                    throw timedOut(timeoutMillis, null);
                }
                lock.unlock(); // the broker blocked the connection while we waited for the lock
            }
        } catch (TimeoutException e) {
            throw timedOut(timeoutMillis, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the gate's future never fails", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventPublishException("interrupted while waiting to publish to RabbitMQ at " + where, e);
        }
    }

    void leave() {
        lock.unlock();
    }

    private long remaining(long deadlineNanos, long timeoutMillis) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw timedOut(timeoutMillis, null);
        }
        return left;
    }

    private EventPublishException timedOut(long timeoutMillis, Throwable cause) {
        String reason = blockedBecause;
        return new EventPublishException(reason != null
                ? "RabbitMQ at " + where + " is blocking publishers (" + reason + "); the message was not sent within "
                        + timeoutMillis + " ms. Publishing resumes when the broker's resource alarm clears"
                : "RabbitMQ at " + where + " did not take the message within " + timeoutMillis + " ms", cause);
    }

    /** "; RabbitMQ at h:p is blocking publishers (low on memory)" while it does, else "". */
    String blockedNote() {
        String reason = blockedBecause;
        return reason == null ? "" : "; RabbitMQ at " + where + " is blocking publishers (" + reason + ")";
    }
}
