package dev.longtasks.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.api.GatewayAuthorizer;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.Principal;
import dev.longtasks.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** API Gateway HTTP API payload format 2.0 to and from the transport-neutral request/response. */
public final class ApiGatewayV2 {
    private ApiGatewayV2() {
    }

    public static HttpRequest toRequest(JsonNode event) {
        JsonNode http = event.path("requestContext").path("http");
        String method = http.path("method").asText("GET");
        String path = event.path("rawPath").asText("/");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        // v2 joins repeated headers with commas already; they stay one value, as HTTP allows.
        event.path("headers").properties().forEach(e -> headers.put(e.getKey(), List.of(e.getValue().asText())));
        if (event.path("cookies").isArray() && !event.path("cookies").isEmpty()) {
            List<String> cookies = new ArrayList<>();
            event.path("cookies").forEach(c -> cookies.add(c.asText()));
            headers.put("cookie", List.of(String.join("; ", cookies)));
        }
        byte[] body = new byte[0];
        if (event.hasNonNull("body")) {
            String raw = event.get("body").asText();
            body = event.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(raw)
                    : raw.getBytes(StandardCharsets.UTF_8);
        }
        return new HttpRequest(method, path, headers, query(event.path("rawQueryString").asText("")), body,
                http.path("sourceIp").asText(null), principal(event.path("requestContext").path("authorizer")));
    }

    /**
     * Who API Gateway's IAM or JWT authorizer let through, from {@code requestContext.authorizer}:
     * only the gateway writes that part of the event, so a client cannot forge it. Null on a route
     * without an authorizer.
     */
    static Principal principal(JsonNode authorizer) {
        JsonNode iam = authorizer.path("iam");
        if (iam.isObject() && !iam.isEmpty()) {
            String arn = iam.path("userArn").asText("");
            return new Principal(GatewayAuthorizer.IAM, arn.isEmpty() ? iam.path("callerId").asText("") : arn);
        }
        JsonNode jwt = authorizer.path("jwt");
        if (jwt.isObject() && jwt.path("claims").isObject()) {
            return new Principal(GatewayAuthorizer.JWT, jwt.path("claims").path("sub").asText(""));
        }
        return null;
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            // The query string is the client's, verbatim: a malformed escape ("%zz", a trailing "%")
            // keeps its raw text, as the local server does, instead of failing the invocation.
            q.computeIfAbsent(decodeOrRaw(k), x -> new ArrayList<>()).add(decodeOrRaw(v));
        }
        return q;
    }

    private static String decodeOrRaw(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    public static ObjectNode toResponse(HttpResponse r) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("statusCode", r.status());
        ObjectNode headers = out.putObject("headers");
        r.headers().forEach(headers::put);
        boolean binary = isBinary(r);
        out.put("body", binary ? Base64.getEncoder().encodeToString(r.body()) : new String(r.body(), StandardCharsets.UTF_8));
        out.put("isBase64Encoded", binary);
        return out;
    }

    /** API Gateway passes text through as is; anything compressed or non-textual must be base64. */
    static boolean isBinary(HttpResponse r) {
        if (r.body().length == 0) {
            return false;
        }
        String encoding = r.header("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            return true;
        }
        String type = r.header("Content-Type");
        if (type == null) {
            return true;
        }
        String t = type.toLowerCase(Locale.ROOT);
        return !(t.startsWith("text/") || t.contains("json") || t.contains("javascript") || t.contains("xml")
                || t.startsWith("application/x-www-form-urlencoded"));
    }
}
