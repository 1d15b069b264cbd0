package dev.longtasks.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns a request body into a JSON object, in the order a client would want its errors: size
 * (413), media type (415), encoding (415/400/413 after inflating), then syntax (400).
 */
final class JsonBody {
    private JsonBody() {
    }

    /** Refuses a declared length over the limit before anything else is looked at. */
    static void checkDeclaredLength(HttpRequest request, int maxBytes) {
        String declared = request.header("Content-Length");
        if (declared == null) {
            return;
        }
        try {
            long length = Long.parseLong(declared.trim());
            if (length > maxBytes) {
                throw tooLarge(length, maxBytes);
            }
        } catch (NumberFormatException e) {
            // A malformed Content-Length is the transport's problem; the actual bytes are checked below.
        }
    }

    static ObjectNode readObject(HttpRequest request, int maxBytes) {
        checkDeclaredLength(request, maxBytes);
        byte[] body = request.body();
        if (body.length > maxBytes) {
            // The transport may stop reading at the limit, so the true size is not known here.
            throw Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "the request body is larger than the limit of " + maxBytes + " bytes").exception();
        }
        if (!isJson(request.header("Content-Type"))) {
            String got = request.header("Content-Type");
            throw Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, (got == null ? "the request has no Content-Type"
                    : "Content-Type '" + got + "' is not JSON") + "; send Content-Type: application/json").exception();
        }
        body = decode(request.header("Content-Encoding"), body, maxBytes);
        if (body.length == 0) {
            throw Problem.of(ProblemType.MALFORMED_JSON, "the request body is empty; send a JSON object").exception();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw Problem.of(ProblemType.MALFORMED_JSON, "the request body is not valid JSON" + where(e)).exception();
        } catch (IOException e) {
            throw Problem.of(ProblemType.MALFORMED_JSON, "the request body could not be read as JSON").exception();
        }
        if (node == null || !node.isObject()) {
            throw Problem.of(ProblemType.INVALID_BODY, "the request body must be a JSON object, not "
                    + (node == null ? "empty" : node.getNodeType().name().toLowerCase(Locale.ROOT))).exception();
        }
        return (ObjectNode) node;
    }

    /** The parser's position only (line and column), never its message, which may echo internals. */
    private static String where(JacksonException e) {
        var loc = e.getLocation();
        if (loc == null || loc.getLineNr() < 1) {
            return "";
        }
        return " (at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static byte[] decode(String encoding, byte[] body, int maxBytes) {
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return body;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        if (e.equals("gzip") || e.equals("x-gzip")) {
            return Gzip.inflate(body, maxBytes);
        }
        throw Problem.of(ProblemType.UNSUPPORTED_CONTENT_ENCODING,
                "Content-Encoding '" + encoding + "' is not supported; send gzip or no encoding").exception();
    }

    /** application/json or any application/*+json, with or without parameters such as charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static ApiException tooLarge(long bytes, int max) {
        return Problem.of(ProblemType.PAYLOAD_TOO_LARGE,
                "the request body is " + bytes + " bytes (Content-Length); the limit is " + max + " bytes").exception();
    }
}
