package dev.longtasks.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator dashboard at {@code /v1/ui}: one HTML page and its script, style sheet and icon,
 * shipped in the jar (no build step). The page reads the list, stats and task routes from the
 * browser, so everything it shows passes their access control; the files themselves reveal
 * nothing. Every answer carries a strict Content-Security-Policy: scripts and styles only from
 * these files, no inline script, no framing.
 */
final class DashboardRoutes {
    static final String RESOURCES = "dev/longtasks/api/dashboard/";
    static final List<String> ASSETS = List.of("app.js", "app.css", "favicon.svg");
    /** 'self' covers the API calls too: the page and the API share one origin (also behind API Gateway). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final Map<String, String> SECURITY_HEADERS = securityHeaders();

    private final int gzipMinBytes;
    private final StaticFile page;
    private final Map<String, StaticFile> assets = new LinkedHashMap<>();

    DashboardRoutes(ApiOptions options) {
        this.gzipMinBytes = options.gzipMinBytes();
        String html = text("index.html");
        for (String name : ASSETS) {
            StaticFile file = StaticFile.resource(RESOURCES + name, StaticFile.contentTypeOf(name), "public, max-age=86400");
            if (file == null) {
                throw new IllegalStateException(RESOURCES + name + " is missing from the classpath; the build is broken");
            }
            assets.put(name, file);
            // The page links each file with a digest of its content, so a browser may cache a file
            // for a day and still gets the new one right after a deploy.
            html = html.replace("{{" + name + "}}", digest(file.bytes()));
        }
        this.page = StaticFile.of(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", "no-cache");
    }

    HttpResponse page(HttpRequest request, Map<String, String> params) {
        return page.response(request, gzipMinBytes, SECURITY_HEADERS);
    }

    HttpResponse asset(HttpRequest request, Map<String, String> params) {
        String name = params.get("asset");
        StaticFile file = assets.get(name);
        if (file == null) {
            String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
            return Problem.of(ProblemType.NOT_FOUND, "no dashboard file named '" + shown + "'; the dashboard is at /v1/ui")
                    .toResponse();
        }
        return file.response(request, gzipMinBytes, SECURITY_HEADERS);
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        // For browsers that predate frame-ancestors.
        h.put("X-Frame-Options", "DENY");
        return Collections.unmodifiableMap(h);
    }

    private static String text(String name) {
        try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCES + name + " is missing from the classpath; the build is broken");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCES + name, e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
