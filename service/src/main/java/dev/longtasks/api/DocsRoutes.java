package dev.longtasks.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes about the API itself: the OpenAPI document, the Swagger UI page and its assets
 * (from the {@code org.webjars:swagger-ui} jar), and the health check.
 */
final class DocsRoutes {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    /** The webjar's files the page uses; its own index.html and initializer point at a demo API. */
    private static final Set<String> ASSETS = Set.of("swagger-ui.css", "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js", "index.css", "favicon-16x16.png", "favicon-32x32.png",
            "oauth2-redirect.html", "oauth2-redirect.js");

    private final ApiOptions options;
    private final StaticFile openApi;
    private final StaticFile health;
    private final StaticFile docsPage;
    private final String webjarVersion;
    private final Map<String, StaticFile> assets = new ConcurrentHashMap<>();

    DocsRoutes(ApiOptions options) {
        this.options = options;
        this.openApi = StaticFile.resource("openapi.json", "application/json", "no-cache");
        if (openApi == null) {
            throw new IllegalStateException("openapi.json is missing from the classpath; the build is broken");
        }
        String json = "{\"status\":\"ok\",\"version\":\"" + escape(options.version())
                + "\",\"stage\":\"" + escape(options.stage()) + "\"}";
        this.health = StaticFile.of(json.getBytes(StandardCharsets.UTF_8), "application/json", "no-store");
        this.webjarVersion = webjarVersion();
        this.docsPage = StaticFile.of(page().getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", "no-cache");
    }

    HttpResponse openApi(HttpRequest request, Map<String, String> params) {
        return openApi.response(request, options.gzipMinBytes());
    }

    HttpResponse health(HttpRequest request, Map<String, String> params) {
        return health.response(request, options.gzipMinBytes());
    }

    HttpResponse docs(HttpRequest request, Map<String, String> params) {
        return docsPage.response(request, options.gzipMinBytes());
    }

    HttpResponse asset(HttpRequest request, Map<String, String> params) {
        String name = params.get("asset");
        StaticFile file = ASSETS.contains(name) && webjarVersion != null
                ? assets.computeIfAbsent(name, n -> StaticFile.resource(WEBJAR + webjarVersion + "/" + n,
                        StaticFile.contentTypeOf(n), "public, max-age=86400"))
                : null;
        if (file == null) {
            return Problem.of(ProblemType.NOT_FOUND, "no documentation asset named '" + name + "'").toResponse();
        }
        return file.response(request, options.gzipMinBytes());
    }

    /** Relative URLs keep the page working behind a path prefix (an API Gateway stage). */
    private static String page() {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>long-running-tasks API</title>
                  <link rel="stylesheet" href="docs/swagger-ui.css">
                  <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="docs/swagger-ui-bundle.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "openapi.json",
                      dom_id: "#swagger-ui",
                      deepLinking: true,
                      presets: [SwaggerUIBundle.presets.apis],
                      layout: "BaseLayout"
                    });
                  </script>
                </body>
                </html>
                """;
    }

    private static String webjarVersion() {
        String props = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
        try (InputStream in = DocsRoutes.class.getClassLoader().getResourceAsStream(props)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            return null;
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
