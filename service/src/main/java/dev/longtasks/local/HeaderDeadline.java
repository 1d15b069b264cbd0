package dev.longtasks.local;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection whose request head (request line and headers) is still incomplete
 * {@code timeout} after its first byte arrived: a slow-loris client that trickles a byte now and
 * then resets any per-read idle timeout, so only a deadline per request head stops it. This is
 * nginx's {@code client_header_timeout}, and like nginx it closes without an answer.
 *
 * <p>Jetty has no such setting; its parser records when a message began, and a sweep a few
 * times per timeout reads that. {@code HttpConnection} is in Jetty's internal package: the
 * hostile-request test fails if an upgrade moves it.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
    private final long timeoutNanos;
    private final Duration period;
    private volatile boolean stopped;

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        this.period = Duration.ofMillis(Math.max(50, Math.min(1000, timeout.toMillis() / 4)));
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.add(http);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    /** Sweeps on {@code scheduler} until {@link #stop()}. */
    void start(Scheduler scheduler) {
        try {
            scheduler.schedule(() -> sweep(scheduler), period);
        } catch (RuntimeException stoppedWithTheServer) {
            // the server is stopping: its scheduler takes no more tasks, and no head needs a deadline
        }
    }

    void stop() {
        stopped = true;
    }

    private void sweep(Scheduler scheduler) {
        if (stopped) {
            return;
        }
        try {
            long now = System.nanoTime();
            for (HttpConnection c : open) {
                HttpParser parser = c.getParser();
                long began = parser.getBeginNanoTime();
                // began is 0 between requests; set and still in a header state, a head is arriving
                if (began != 0 && parser.inHeaderState() && now - began > timeoutNanos) {
                    c.getEndPoint().close();
                }
            }
        } finally {
            start(scheduler);
        }
    }
}
