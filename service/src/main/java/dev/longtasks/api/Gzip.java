package dev.longtasks.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip in both directions: inflating request bodies under a size cap, compressing large responses. */
final class Gzip {
    private Gzip() {
    }

    /**
     * Inflates a gzip body, refusing once more than {@code maxBytes} come out, so a small
     * "zip bomb" cannot fill memory. Throws an {@link ApiException} with 413 or 400.
     */
    static byte[] inflate(byte[] compressed, int maxBytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, compressed.length * 4 + 64));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "the request body inflates to more than "
                            + maxBytes + " bytes, the limit").exception();
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw Problem.of(ProblemType.MALFORMED_GZIP,
                    "the request says Content-Encoding: gzip but its body is not valid gzip data").exception();
        }
    }

    static byte[] compress(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(body);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    /** True when {@code Accept-Encoding} names gzip (or *) without {@code q=0}. */
    static boolean accepts(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isEmpty()) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            String coding = p[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean zero = false;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    try {
                        zero = Double.parseDouble(param.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        zero = true;
                    }
                }
            }
            if (!zero) {
                return true;
            }
        }
        return false;
    }

    /**
     * Compresses the response when it is large enough and the client accepts gzip. Responses that
     * already carry a Content-Encoding (pre-compressed static files) are left alone.
     */
    static HttpResponse maybeCompress(HttpRequest request, HttpResponse response, Map<String, String> headers, int minBytes) {
        byte[] body = response.body();
        if (body.length < minBytes || headers.containsKey("Content-Encoding")) {
            return new HttpResponse(response.status(), headers, body);
        }
        Cors.addVary(headers, "Accept-Encoding");
        if (!accepts(request.header("Accept-Encoding"))) {
            return new HttpResponse(response.status(), headers, body);
        }
        headers.put("Content-Encoding", "gzip");
        return new HttpResponse(response.status(), headers, compress(body));
    }
}
