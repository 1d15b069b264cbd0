package dev.longtasks.local;

import dev.longtasks.api.HttpApi;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The local and self-hosted transport: Jetty's core HTTP/1.1 server (no servlets) on virtual
 * threads, each request adapted to the API by {@link ApiRequestHandler}, everything Jetty rejects itself
 * answered by {@link ProblemErrorHandler}, and request heads held to a deadline by
 * {@link HeaderDeadline}. Jetty was chosen by measurement: BENCHMARKS.md, "Local server".
 */
public final class LocalServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final HeaderDeadline deadline;

    private LocalServer(Server server, ServerConnector connector, HeaderDeadline deadline) {
        this.server = server;
        this.connector = connector;
        this.deadline = deadline;
    }

    /** Binds {@code host:port} (port 0 picks a free one) with the default limits and starts serving. */
    public static LocalServer start(HttpApi api, String host, int port, int maxBodyBytes) throws IOException {
        return start(api, host, port, maxBodyBytes, HttpLimits.defaults());
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
    public static LocalServer start(HttpApi api, String host, int port, int maxBodyBytes, HttpLimits limits) throws IOException {
        // Every Jetty task on a virtual thread, the selector's included: measured against Jetty's
        // default pool (platform threads handing requests to virtual ones) it cost two thirds of
        // the CPU per GET here, and no request waits for a free pool thread.
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("http");
        // Our own executor: Jetty (built for Java 17) would otherwise look one up reflectively.
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-", 0).factory()));
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setIdleTimeout(limits.bodyTimeout().toMillis()); // while a request is read: the body timeout
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Percent-escapes are checked by us (RequestTarget), so that a bad one gets our invalid-uri
        // problem rather than Jetty's 400; the API matches raw paths, so no ambiguity reaches it.
        http.setUriCompliance(UriCompliance.UNSAFE);

        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis()); // between requests on a keep-alive connection
        connector.setAcceptQueueSize(1024);
        HeaderDeadline deadline = new HeaderDeadline(limits.headerTimeout());
        connector.addEventListener(deadline);
        server.addConnector(connector);

        server.setHandler(new GracefulHandler(new ApiRequestHandler(api, maxBodyBytes, limits)));
        server.setErrorHandler(new ProblemErrorHandler(limits, maxBodyBytes));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        deadline.start(connector.getScheduler());
        return new LocalServer(server, connector, deadline);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return connector.getHost();
    }

    /**
     * Stops accepting connections at once, lets requests in progress finish for up to
     * {@code grace}, then closes every connection.
     */
    public void stop(Duration grace) {
        server.setStopTimeout(Math.max(0, grace.toMillis()));
        deadline.stop();
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // stopping is best effort: the process is going away or the bind failed
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
