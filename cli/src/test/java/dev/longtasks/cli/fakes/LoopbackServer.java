package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/** A JDK HttpServer on 127.0.0.1 and a random port: the base of the wire-level AWS fakes. */
public abstract class LoopbackServer implements AutoCloseable {
    private final HttpServer server;

    // Requests reach handle() only after the test has the constructed fake in hand, so the
    // subclass is fully initialised by then even though the server starts here.
    @SuppressWarnings("this-escape")
    protected LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            try (ex) {
                handle(ex, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                send(ex, 500, "text/plain", e.toString(), Map.of());
            }
        });
        server.start();
    }

    protected abstract void handle(HttpExchange ex, String body) throws IOException;

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    protected static void send(HttpExchange ex, int status, String contentType, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
