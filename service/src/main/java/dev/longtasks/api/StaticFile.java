package dev.longtasks.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file served as it is (the OpenAPI document, Swagger UI's assets). It is read once, and its
 * gzip form is made once, so serving it costs no compression per request.
 */
record StaticFile(byte[] bytes, byte[] gzipped, String contentType, String cacheControl) {

    static StaticFile of(byte[] bytes, String contentType, String cacheControl) {
        return new StaticFile(bytes, Gzip.compress(bytes), contentType, cacheControl);
    }

    /** Loads a classpath resource, or returns null when it is not there. */
    static StaticFile resource(String path, String contentType, String cacheControl) {
        try (InputStream in = StaticFile.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : of(in.readAllBytes(), contentType, cacheControl);
        } catch (IOException e) {
            return null;
        }
    }

    HttpResponse response(HttpRequest request, int gzipMinBytes) {
        return response(request, gzipMinBytes, Map.of());
    }

    /** The file with {@code extraHeaders} (the dashboard's security headers) added. */
    HttpResponse response(HttpRequest request, int gzipMinBytes, Map<String, String> extraHeaders) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Cache-Control", cacheControl);
        h.putAll(extraHeaders);
        if (bytes.length >= gzipMinBytes) {
            h.put("Vary", "Accept-Encoding");
            if (Gzip.accepts(request.header("Accept-Encoding"))) {
                h.put("Content-Encoding", "gzip");
                return new HttpResponse(200, h, gzipped);
            }
        }
        return new HttpResponse(200, h, bytes);
    }

    static String contentTypeOf(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (name.endsWith(".png")) {
            return "image/png";
        } else if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
