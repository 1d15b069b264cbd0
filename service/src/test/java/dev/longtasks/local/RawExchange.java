package dev.longtasks.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One hand-written HTTP/1.1 exchange over a raw socket, for requests no HTTP client would send:
 * bytes written at once or trickled, and whatever the server sends back read at the same time, up
 * to the first complete response. It reports how the connection ended, so a test can tell an
 * answer from a close, a reset or a server that never answered.
 */
final class RawExchange {
    enum End { ANSWERED, CLOSED, RESET, NO_ANSWER }

    /** What came back. {@code headers} have lower-case names; {@code status} is 0 without a response. */
    record Reply(End end, int status, Map<String, String> headers, String body, String raw) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return end + (raw.isEmpty() ? "" : ": " + (raw.length() > 300 ? raw.substring(0, 300) + "..." : raw));
        }
    }

    private record Write(byte[] bytes, Duration pauseAfterEachByte) {
    }

    private final int port;
    private final List<Write> writes = new ArrayList<>();
    private final Set<Integer> bodiless = new HashSet<>();

    private RawExchange(int port) {
        this.port = port;
    }

    static RawExchange to(int port) {
        return new RawExchange(port);
    }

    RawExchange write(String text) {
        writes.add(new Write(text.getBytes(StandardCharsets.ISO_8859_1), Duration.ZERO));
        return this;
    }

    /** Writes {@code text} one byte at a time, pausing after each: a slow-loris client. */
    RawExchange trickle(String text, Duration pauseAfterEachByte) {
        writes.add(new Write(text.getBytes(StandardCharsets.ISO_8859_1), pauseAfterEachByte));
        return this;
    }

    /** The responses at these positions (0 for the first) have no body whatever their headers say: answers to HEAD. */
    RawExchange bodiless(int... positions) {
        for (int p : positions) {
            bodiless.add(p);
        }
        return this;
    }

    /** Sends the writes while reading, and waits up to {@code patience} for the server to answer or close. */
    Reply exchange(Duration patience) throws IOException, InterruptedException {
        return exchange(patience, 1).getFirst();
    }

    /**
     * The same for pipelined requests: waits for {@code responses} complete responses. The list
     * ends with an incomplete one (its {@code end} says how) if fewer came.
     */
    List<Reply> exchange(Duration patience, int responses) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            FutureTask<List<Reply>> reader = new FutureTask<>(() -> read(socket.getInputStream(), seen, responses, bodiless));
            Thread.ofVirtual().name("raw-reader").start(reader);
            Thread.ofVirtual().name("raw-writer").start(() -> writeAll(socket, reader));
            try {
                return reader.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                synchronized (seen) {
                    return replies(seen.toByteArray(), End.NO_ANSWER, bodiless);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    private void writeAll(Socket socket, Future<?> reader) {
        try {
            OutputStream out = socket.getOutputStream();
            for (Write w : writes) {
                if (w.pauseAfterEachByte().isZero()) {
                    out.write(w.bytes());
                    out.flush();
                    continue;
                }
                for (byte b : w.bytes()) {
                    if (reader.isDone()) {
                        return;
                    }
                    out.write(b);
                    out.flush();
                    Thread.sleep(w.pauseAfterEachByte());
                }
            }
        } catch (IOException e) {
            // the server closed the connection while we wrote: the reader reports how
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Reply> read(InputStream in, ByteArrayOutputStream seen, int wanted, Set<Integer> bodiless)
            throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketException e) {
                synchronized (seen) {
                    return replies(seen.toByteArray(), End.RESET, bodiless);
                }
            }
            synchronized (seen) {
                if (n < 0) {
                    return replies(seen.toByteArray(), End.CLOSED, bodiless);
                }
                seen.write(buf, 0, n);
                List<Reply> complete = replies(seen.toByteArray(), null, bodiless);
                if (complete.size() >= wanted) {
                    return complete.subList(0, wanted);
                }
            }
        }
    }

    /**
     * The complete responses in {@code bytes}, then (unless {@code end} is null) what is left as
     * one incomplete reply that ended that way.
     */
    private static List<Reply> replies(byte[] bytes, End end, Set<Integer> bodiless) {
        List<Reply> replies = new ArrayList<>();
        int from = 0;
        int at = 0;
        while (true) {
            String raw = new String(bytes, at, bytes.length - at, StandardCharsets.ISO_8859_1);
            int headEnd = raw.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                break;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String[] lines = raw.substring(0, headEnd).split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            String[] statusLine = lines[0].split(" ", 3);
            int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : 0;
            int bodyStart = at + headEnd + 4;
            if (status == 100) {
                at = bodyStart; // an interim response: the real one follows (its raw text keeps both)
                continue;
            }
            int length = bodiless.contains(replies.size()) || status == 204 || status == 304 ? 0
                    : headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : -1;
            if (length < 0 || bytes.length - bodyStart < length) {
                if (end != null) {
                    int available = Math.max(0, bytes.length - bodyStart);
                    replies.add(new Reply(end, status, headers, new String(bytes, bodyStart, available, StandardCharsets.UTF_8),
                            new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1)));
                }
                return replies;
            }
            replies.add(new Reply(End.ANSWERED, status, headers, new String(bytes, bodyStart, length, StandardCharsets.UTF_8),
                    new String(bytes, from, bodyStart + length - from, StandardCharsets.ISO_8859_1)));
            from = bodyStart + length;
            at = from;
        }
        if (end != null) {
            replies.add(new Reply(end, 0, Map.of(), "", new String(bytes, from, bytes.length - from, StandardCharsets.ISO_8859_1)));
        }
        return replies;
    }
}
