package dev.longtasks.fault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 message read off a stream, kept as its raw bytes so it can be forwarded
 * unchanged. Only the framing is parsed (Content-Length, chunked, or until close), which is all
 * the proxy needs to tell where one request or response ends on a keep-alive connection.
 */
record HttpMessage(String startLine, Map<String, String> headers, byte[] raw) {

    private static final int MAX_HEAD = 64 * 1024;

    String header(String name) {
        return headers.get(name);
    }

    /** The request method, or the status code as text for a response. */
    String firstToken(int index) {
        String[] parts = startLine.split(" ", 3);
        return parts.length > index ? parts[index] : "";
    }

    /** Reads a request; null when the peer closed the connection before sending one. */
    static HttpMessage readRequest(InputStream in) throws IOException {
        return read(in, false, null);
    }

    /** Reads the response to a request made with {@code requestMethod}. */
    static HttpMessage readResponse(InputStream in, String requestMethod) throws IOException {
        return read(in, true, requestMethod);
    }

    private static HttpMessage read(InputStream in, boolean response, String requestMethod) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String head = readHead(in, raw);
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        HttpMessage msg = new HttpMessage(lines[0], headers, null);
        String te = headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT);
        if (response && !hasResponseBody(msg, requestMethod)) {
            // no body
        } else if (te.contains("chunked")) {
            copyChunked(in, raw);
        } else if (headers.containsKey("Content-Length")) {
            copyExactly(in, raw, Long.parseLong(headers.get("Content-Length")));
        } else if (response) {
            in.transferTo(raw); // close-delimited
        }
        return new HttpMessage(lines[0], headers, raw.toByteArray());
    }

    private static boolean hasResponseBody(HttpMessage msg, String requestMethod) {
        int status = Integer.parseInt(msg.firstToken(1));
        return !"HEAD".equalsIgnoreCase(requestMethod) && status >= 200 && status != 204 && status != 304;
    }

    private static String readHead(InputStream in, ByteArrayOutputStream raw) throws IOException {
        int window = 0; // the last four bytes read, to spot the CRLF CRLF that ends the head
        int count = 0;
        while (window != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                if (count == 0) {
                    return null;
                }
                throw new IOException("connection closed inside an HTTP head");
            }
            raw.write(b);
            if (++count > MAX_HEAD) {
                throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            }
            window = (window << 8) | b;
        }
        return raw.toString(StandardCharsets.ISO_8859_1);
    }

    private static void copyExactly(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("connection closed inside an HTTP body");
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static void copyChunked(InputStream in, ByteArrayOutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in, out);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                // trailers end with an empty line
                while (!readLine(in, out).isEmpty()) {
                    // skip trailer fields
                }
                return;
            }
            copyExactly(in, out, size);
            readLine(in, out);
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside a chunked body");
            }
            out.write(b);
            if (prev == '\r' && b == '\n') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            prev = b;
        }
    }
}
