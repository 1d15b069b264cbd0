package dev.longtasks.local;

import dev.longtasks.api.HttpApi;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.Problem;
import dev.longtasks.api.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts one Jetty request to the {@link HttpApi} and back. Checks Jetty leaves to us come first
 * (header count, request-line length, transfer coding, percent-escapes), each answered with our
 * problem. Request bodies are read only up to the API's limit (plus one byte, so the API can tell
 * "too large"), and never logged.
 */
final class ApiRequestHandler extends Handler.Abstract {
    static final Logger access = LoggerFactory.getLogger("dev.longtasks.access");
    private static final byte[] EMPTY = new byte[0];
    /** Bodies declared up to this size are drained before a 413; larger ones close the connection. */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    private final HttpApi api;
    private final int maxBodyBytes;
    private final HttpLimits limits;

    ApiRequestHandler(HttpApi api, int maxBodyBytes, HttpLimits limits) {
        this.api = api;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        HttpResponse answer;
        try {
            Problem refused = refusal(request, method, uri);
            answer = refused != null ? refused.withHeader("Connection", "close").toResponse()
                    : api.handle(new HttpRequest(method, path, headers(request.getHeaders()),
                            RequestTarget.query(uri.getQuery()), readBody(request), Request.getRemoteAddr(request)));
        } catch (IOException e) {
            answer = readFailure(e);
        }
        long bytes = send(method, answer, response, callback);
        if (access.isInfoEnabled()) {
            access.info("{} {} {} {}ms {}B", method, path, answer.status(), (System.nanoTime() - start) / 1_000_000, bytes);
        }
        return true;
    }

    /** What Jetty lets through but we do not serve; null for a request the API should see. */
    private Problem refusal(Request request, String method, HttpURI uri) {
        HttpFields headers = request.getHeaders();
        if (headers.size() > limits.maxHeaders()) {
            return Problem.of(ProblemType.HEADERS_TOO_LARGE, "the request has " + headers.size()
                    + " header fields; the limit is " + limits.maxHeaders());
        }
        String target = uri.getPathQuery();
        // "METHOD SP target SP HTTP/1.1": the method, two spaces and eight bytes of version
        int lineBytes = method.length() + target.length() + 10;
        if (lineBytes > limits.maxRequestLineBytes()) {
            return Problem.of(ProblemType.URI_TOO_LONG, "the request line is " + lineBytes + " bytes; the limit is "
                    + limits.maxRequestLineBytes());
        }
        String coding = headers.get(HttpHeader.TRANSFER_ENCODING);
        if (coding != null && !coding.trim().equalsIgnoreCase("chunked")) {
            return Problem.of(ProblemType.UNSUPPORTED_TRANSFER_ENCODING, "Transfer-Encoding '" + shown(coding)
                    + "' is not supported; send the body with Content-Length or 'Transfer-Encoding: chunked' "
                    + "(compress it with Content-Encoding: gzip)");
        }
        int bad = RequestTarget.badEscape(target);
        if (bad >= 0) {
            return Problem.of(ProblemType.INVALID_URI, "the request target has a '%' at offset " + bad
                    + " that is not followed by two hex digits; encode a literal '%' as %25");
        }
        return null;
    }

    private static Map<String, List<String>> headers(HttpFields fields) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : fields) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>(1)).add(f.getValue());
        }
        return headers;
    }

    /**
     * Reads at most {@code maxBodyBytes + 1} bytes. A declared Content-Length over the limit is
     * not read at all: the API answers 413 from the header alone.
     */
    private byte[] readBody(Request request) throws IOException {
        long declared = request.getLength();
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (declared <= 0 && !chunked) {
            return EMPTY; // no length and no chunking means no body (every GET)
        }
        if (declared > maxBodyBytes) {
            // A client that waits for "100 Continue" never sends the body: answer at once. Any other
            // moderately oversized body is read and dropped, so that closing the connection with
            // unread bytes does not reset it before the client has read the 413.
            if (declared <= DRAIN_LIMIT && !request.getHeaders().contains(HttpHeader.EXPECT)) {
                try (InputStream in = Content.Source.asInputStream(request)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return EMPTY;
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(declared > 0 ? (int) declared : maxBodyBytes + 1);
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

    private HttpResponse readFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return Problem.of(ProblemType.REQUEST_TIMEOUT, "the request body stopped arriving for "
                        + limits.bodyTimeout().toSeconds() + " s").withHeader("Connection", "close").toResponse();
            }
        }
        // The client went away or broke the framing mid-body; nobody may be left to read this.
        return Problem.of(ProblemType.MALFORMED_REQUEST, "the request body could not be read to its end")
                .withHeader("Connection", "close").toResponse();
    }

    /** Writes the answer; returns the body bytes sent. */
    static long send(String method, HttpResponse answer, Response response, Callback callback) {
        int status = answer.status();
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        answer.headers().forEach(headers::put);
        byte[] body = answer.body();
        if (status == 204 || status == 304 || body.length == 0) {
            response.write(true, null, callback);
            return 0;
        }
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        if (method != null && method.equals("HEAD")) {
            response.write(true, null, callback);
            return 0;
        }
        response.write(true, ByteBuffer.wrap(body), callback);
        return body.length;
    }

    private static String shown(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "..." : value;
    }
}
