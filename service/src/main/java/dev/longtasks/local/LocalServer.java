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

    /**
     * Bodies over the limit are still read (and dropped) up to this much, so the client gets its
     * 413: closing a connection with unread bytes makes the kernel send a reset, and the client
     * then sees "connection reset" instead of the answer. Past this the connection is just closed.
     */
    static final long DRAIN_LIMIT_BYTES = 8L * 1024 * 1024;

    /**
     * Reads at most {@code maxBodyBytes + 1} bytes. A declared Content-Length over the limit is
     * not kept at all: the API answers 413 from the header alone.
     */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.trim());
                if (length == 0) {
                    return new byte[0];
                }
                if (length > maxBodyBytes) {
                    if (length <= DRAIN_LIMIT_BYTES) {
                        discard(ex.getRequestBody(), length);
                    }
                    return new byte[0];
                }
            } catch (NumberFormatException e) {
                // fall through: read what arrives, under the cap
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                discard(in, DRAIN_LIMIT_BYTES);
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
