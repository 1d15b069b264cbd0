package dev.longtasks.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.longtasks.api.HttpApi;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local transport: the JDK's HttpServer, one virtual thread per exchange, adapting each
 * exchange to the {@link HttpApi}. Request bodies are read only up to the API's limit (plus one
 * byte, so the API can tell "too large"), and never logged.
 */
public final class LocalServer implements AutoCloseable {
    private static final Logger access = LoggerFactory.getLogger("dev.longtasks.access");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpApi api;
    private final int maxBodyBytes;

    private LocalServer(HttpServer server, ExecutorService executor, HttpApi api, int maxBodyBytes) {
        this.server = server;
        this.executor = executor;
        this.api = api;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
    public static LocalServer start(HttpApi api, String host, int port, int maxBodyBytes) throws IOException {
        // Small keep-alive responses must not wait for Nagle's algorithm; the JDK server reads this
        // once, when its configuration class loads, so it is set before the first server exists.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        LocalServer local = new LocalServer(server, executor, api, maxBodyBytes);
        server.createContext("/", local::exchange);
        server.setExecutor(executor);
        server.start();
        return local;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    private void exchange(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        int status = 500;
        long bytes = 0;
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        try (ex) {
            HttpRequest request = new HttpRequest(method, path, ex.getRequestHeaders(),
                    query(ex.getRequestURI().getRawQuery()), readBody(ex), ex.getRemoteAddress().getAddress().getHostAddress());
            HttpResponse response = api.handle(request);
            status = response.status();
            var headers = ex.getResponseHeaders();
            response.headers().forEach(headers::set);
            byte[] body = response.body();
            boolean noBody = body.length == 0 || status == 204 || status == 304 || method.equals("HEAD");
            ex.sendResponseHeaders(status, noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
                bytes = body.length;
            }
        } finally {
            if (access.isInfoEnabled()) {
                access.info("{} {} {} {}ms {}B", method, path, status, (System.nanoTime() - start) / 1_000_000, bytes);
            }
        }
    }

    private static final byte[] EMPTY = new byte[0];
    /** Bodies declared up to this size are drained before a 413; larger ones close the connection. */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    /**
     * Reads at most {@code maxBodyBytes + 1} bytes. A declared Content-Length over the limit is
     * not read at all: the API answers 413 from the header alone.
     */
    private byte[] readBody(HttpExchange ex) throws IOException {
        var h = ex.getRequestHeaders();
        String declared = h.getFirst("Content-Length");
        if (declared == null && h.getFirst("Transfer-Encoding") == null) {
            return EMPTY; // HTTP/1.1: no length and no chunking means no body (every GET)
        }
        int limit = maxBodyBytes + 1;
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.trim());
                if (length > maxBodyBytes && length <= DRAIN_LIMIT) {
                    // Read and drop a moderately oversized body, so that closing the connection
                    // with unread bytes does not reset it before the client has read the 413.
                    try (InputStream in = ex.getRequestBody()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                    return EMPTY;
                }
                if (length <= 0 || length > maxBodyBytes) {
                    return EMPTY;
                }
                limit = (int) length;
            } catch (NumberFormatException e) {
                // read what arrives, under the cap
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(limit);
            if (body.length > maxBodyBytes) {
                // A chunked body over the limit: drop the rest too (up to the same bound), or the
                // client sees a reset instead of its 413.
                discard(in, DRAIN_LIMIT);
            }
            return body;
        }
    }

    private static void discard(InputStream in, long max) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while (total < max && (n = in.read(buf, 0, (int) Math.min(buf.length, max - total))) >= 0) {
            total += n;
        }
    }

    private static Map<String, List<String>> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                q.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                        .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: keep the raw text rather than fail the request
                q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return q;
    }

    /** Stops accepting connections and waits up to {@code grace} for exchanges in progress. */
    public void stop(Duration grace) {
        server.stop((int) Math.max(0, Math.min(Integer.MAX_VALUE, grace.toSeconds())));
        executor.shutdown();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
