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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Sends the writes while reading, and waits up to {@code patience} for the server to answer or close. */
    Reply exchange(Duration patience) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
            FutureTask<Reply> reader = new FutureTask<>(() -> read(socket.getInputStream()));
            Thread.ofVirtual().name("raw-reader").start(reader);
            Thread.ofVirtual().name("raw-writer").start(() -> writeAll(socket, reader));
            return await(reader, patience);
        }
    }

    private static Reply await(Future<Reply> reader, Duration patience) throws IOException, InterruptedException {
        try {
            return reader.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Reply(End.NO_ANSWER, 0, Map.of(), "", "");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void writeAll(Socket socket, Future<Reply> reader) {
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

    private static Reply read(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketException e) {
                Reply partial = parse(seen.toByteArray(), End.RESET);
                return partial != null ? partial : new Reply(End.RESET, 0, Map.of(), "", seen.toString(StandardCharsets.ISO_8859_1));
            }
            if (n < 0) {
                Reply partial = parse(seen.toByteArray(), End.CLOSED);
                return partial != null ? partial : new Reply(End.CLOSED, 0, Map.of(), "", seen.toString(StandardCharsets.ISO_8859_1));
            }
            seen.write(buf, 0, n);
            Reply complete = parse(seen.toByteArray(), End.ANSWERED);
            if (complete != null) {
                return complete;
            }
        }
    }

    /**
     * A complete response (head and a Content-Length body) as {@code ANSWERED}; a response that
     * ended early as {@code ifIncomplete} with what arrived; null while more may come.
     */
    private static Reply parse(byte[] bytes, End ifIncomplete) {
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = raw.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return ifIncomplete == End.ANSWERED ? null : new Reply(ifIncomplete, 0, Map.of(), "", raw);
        }
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String[] statusLine = lines[0].split(" ", 3);
        int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : 0;
        if (status == 100) {
            // an interim response: the real one follows it (raw keeps both)
            Reply rest = parse(Arrays.copyOfRange(bytes, headEnd + 4, bytes.length), ifIncomplete);
            return rest == null ? null : new Reply(rest.end(), rest.status(), rest.headers(), rest.body(), raw);
        }
        int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : -1;
        int bodyStart = headEnd + 4;
        boolean complete = length >= 0 && bytes.length - bodyStart >= length;
        if (!complete && ifIncomplete == End.ANSWERED) {
            return null;
        }
        String body = new String(bytes, bodyStart, complete ? length : bytes.length - bodyStart, StandardCharsets.UTF_8);
        return new Reply(complete ? End.ANSWERED : ifIncomplete, status, headers, body, raw);
    }
}
