package dev.longtasks.handlers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on a random loopback port for http-check to probe. */
final class ProbeTarget implements AutoCloseable {
    /** What the server does with the n-th request (1-based). */
    interface Responder {
        void respond(int n, HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private ProbeTarget(Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                responder.respond(requests.incrementAndGet(), exchange);
            }
        });
        server.start();
    }

    static ProbeTarget start(Responder responder) throws IOException {
        return new ProbeTarget(responder);
    }

    static ProbeTarget answering(int status) throws IOException {
        return start((n, ex) -> ex.sendResponseHeaders(status, -1));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
