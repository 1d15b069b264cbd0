package dev.longtasks.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Hostile HTTP requests for the property tests: methods, paths, headers, content types and
 * encodings, and bodies from plain garbage to zip bombs, 100 000-deep JSON and invalid UTF-8.
 * Most are near-misses of real requests, since those reach deepest into the code.
 */
public final class HttpFuzz {
    private HttpFuzz() {
    }

    /** One generated request, transport-neutral. */
    public record Req(String method, String path, Map<String, List<String>> headers,
                      Map<String, List<String>> query, byte[] body, String bodyKind) {
        @Override
        public String toString() {
            String shown = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
            return method + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path) + " " + headers
                    + " body[" + bodyKind + ", " + body.length + " bytes]=" + shown;
        }
    }

    /** 64 MiB of zeros, gzipped to about 64 KB: small on the wire, huge once inflated. */
    static final byte[] ZIP_BOMB = gzip(new byte[64 * 1024 * 1024]);

    /**
     * Mostly submits (POST to a submit route, the deepest path), then reads and cancels, then
     * anything at all: a uniform mix would spend most cases on 404 and 405.
     */
    public static Arbitrary<Req> requests() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, requests(Arbitraries.of("POST"), Arbitraries.of("/v1/example/process-task", "/v1/tasks"),
                        Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of("application/json")), Tuple.of(2, contentTypes())))),
                Tuple.of(2, requests(Arbitraries.of("GET", "DELETE", "OPTIONS"), paths(), contentTypes())),
                Tuple.of(2, requests(methods(), paths(), contentTypes())),
                Tuple.of(1, listRequests()));
    }

    /** The list and stats routes with their own parameters, given hostile values. */
    static Arbitrary<Req> listRequests() {
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("RUNNING", "running,FAILED", "", ",", "RUNNING,,", "example", "a b", "15m", "0s",
                        "PT5M", "P", "1h30m", "99999999999999d", "999999999d", "2026-11-30T01:00:00Z", "9999-12-31T23:59:59Z",
                        "-1", "0", "1", "500", "501", "1e3", "djE6", "djE6MTox", "%zz", "\u0000", "A".repeat(600))),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(40)));
        Arbitrary<Map<String, List<String>>> query = Arbitraries.maps(
                Arbitraries.of("status", "type", "since", "limit", "cursor"), values.list().ofMinSize(1).ofMaxSize(2)).ofMaxSize(4);
        return Combinators.combine(Arbitraries.of("/v1/tasks", "/v1/tasks/stats"), query)
                .as((path, q) -> new Req("GET", path, Map.of(), q, new byte[0], "list-query"));
    }

    static Arbitrary<Req> requests(Arbitrary<String> methods, Arbitrary<String> paths, Arbitrary<String> types) {
        Arbitrary<Tuple.Tuple2<byte[], String>> bodies = bodies();
        return Combinators.combine(methods, paths, bodies, types, encodingFor(), extraHeaders(), queries())
                .as((method, path, body, type, enc, extra, query) -> {
                    Map<String, List<String>> h = new LinkedHashMap<>(extra);
                    if (type != null) {
                        h.put("Content-Type", List.of(type));
                    }
                    byte[] bytes = body.get1();
                    String kind = body.get2();
                    switch (enc) {
                        case "gzip" -> {
                            if (!kind.startsWith("gzip")) {
                                bytes = gzip(bytes);
                                kind = "gzip(" + kind + ")";
                            }
                            h.put("Content-Encoding", List.of("gzip"));
                        }
                        case "none" -> {
                            if (kind.startsWith("gzip")) {
                                h.put("Content-Encoding", List.of("gzip"));
                            }
                        }
                        default -> h.put("Content-Encoding", List.of(enc));
                    }
                    return new Req(method, path, h, query, bytes, kind);
                });
    }

    static Arbitrary<String> methods() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("POST", "GET", "DELETE")),
                Tuple.of(2, Arbitraries.of("PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "post", "Get")),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
    }

    static Arbitrary<String> paths() {
        Arbitrary<String> garbageId = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().ofMaxLength(60)),
                Tuple.of(2, Arbitraries.of("../x", "..%2F..%2Fetc%2Fpasswd", "a;b", "$(id)", "`id`", "%00", "%",
                        "%zz", "\u0000", "null", "00000000-0000-0000-0000-000000000000",
                        "ffffffff-ffff-ffff-ffff-ffffffffffff", "{task_id}", "*", "' OR 1=1 --", "\r\nSet-Cookie: x=y",
                        UUID.randomUUID().toString().toUpperCase(), UUID.randomUUID() + "/extra", " " + UUID.randomUUID())),
                Tuple.of(2, Arbitraries.create(() -> UUID.randomUUID().toString())),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'f').ofLength(36)));
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of("/v1/example/process-task", "/v1/tasks", "/v1/health", "/v1/openapi.json",
                        "/v1/docs", "/v1/docs/index.html", "/v1/docs/../../etc/passwd", "/", "", "/v1", "/v1/",
                        "/v1/tasks/", "//v1//tasks", "/v1/example/process-task/", "/V1/TASKS", "/v2/tasks")),
                Tuple.of(5, garbageId.map(id -> "/v1/tasks/" + id)),
                Tuple.of(1, garbageId.map(id -> "/v1/docs/" + id)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(100)),
                Tuple.of(1, Arbitraries.integers().between(1_000, 100_000).map(n -> "/v1/tasks/" + "a".repeat(n))));
    }

    static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("application/json", "application/json; charset=utf-8")),
                Tuple.of(3, Arbitraries.of("APPLICATION/JSON", "application/json;charset=latin1", "application/json; charset=",
                        "text/plain", "application/problem+json", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=xyz", "application/jsonx", "application/", "/", ";", "*/*",
                        "application/vnd.api+json", "")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(80)),
                Tuple.of(1, Arbitraries.just(null)));
    }

    static Arbitrary<String> encodingFor() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("none")),
                Tuple.of(3, Arbitraries.just("gzip")),
                Tuple.of(1, Arbitraries.of("identity", "br", "deflate", "GZIP", "gzip, gzip", "x-gzip", "", "compress")));
    }

    static Arbitrary<Map<String, List<String>>> extraHeaders() {
        Arbitrary<Tuple.Tuple2<String, String>> one = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("Origin").flatMap(n -> origins().map(v -> Tuple.of(n, v)))),
                Tuple.of(2, Arbitraries.of("Idempotency-Key").flatMap(n -> Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.strings().ofMinLength(1).ofMaxLength(40)),
                        Tuple.of(1, Arbitraries.integers().between(100, 20_000).map("k"::repeat)),
                        Tuple.of(1, Arbitraries.of("", " ", "same-key", "\u0000", "\r\n"))).map(v -> Tuple.of(n, v)))),
                Tuple.of(2, Arbitraries.of("Accept-Encoding").flatMap(n -> Arbitraries.of("gzip", "gzip;q=0", "br", "*",
                        "identity", "gzip, deflate, br", "", "x").map(v -> Tuple.of(n, v)))),
                Tuple.of(2, Arbitraries.of("Content-Length", "Transfer-Encoding", "Accept", "Access-Control-Request-Method",
                        "Access-Control-Request-Headers", "Host", "X-Forwarded-For", "Cookie", "Authorization")
                        .flatMap(n -> Arbitraries.frequencyOf(
                                Tuple.of(2, Arbitraries.of("-1", "0", "abc", "99999999999999999999", "1e3", "chunked", "POST")),
                                Tuple.of(1, Arbitraries.strings().ofMaxLength(50))).map(v -> Tuple.of(n, v)))),
                Tuple.of(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(30)
                        .flatMap(n -> Arbitraries.strings().ofMaxLength(50).map(v -> Tuple.of(n, v)))));
        return one.list().ofMaxSize(6).map(list -> {
            Map<String, List<String>> m = new LinkedHashMap<>();
            for (var t : list) {
                m.computeIfAbsent(t.get1(), k -> new ArrayList<>()).add(t.get2());
            }
            return m;
        });
    }

    public static Arbitrary<String> origins() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("https://example.com", "http://localhost:3000", "HTTPS://EXAMPLE.COM",
                        "http://[::1]:8080", "https://a.b.c.d.e")),
                Tuple.of(4, Arbitraries.of("null", "file://", "file:///etc/passwd", "javascript:alert(1)",
                        "chrome-extension://abcdef", "data:text/html,hi", "ftp://example.com", "ws://example.com",
                        "http://", "https://", "http:/x", "http//x", "*", "", " https://example.com",
                        "https://example.com/path", "https://user@example.com", "https://example.com\r\nX-Evil: 1",
                        "https://example.com, https://evil.com", "http://evil.com%0d%0a", "httpss://x",
                        "https://example.com?x=1", "https://example.com#f", "http://\u00e9xample.com")),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(60)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40).map(s -> "https://" + s)));
    }

    static Arbitrary<Map<String, List<String>>> queries() {
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(10), Arbitraries.strings().ofMaxLength(20).list().ofMaxSize(2))
                .ofMaxSize(3);
    }

    /** A body and a label of what kind of body it is (for the statistics and for failure reports). */
    static Arbitrary<Tuple.Tuple2<byte[], String>> bodies() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000).map(b -> Tuple.of(b, "bytes"))),
                Tuple.of(6, JsonFuzz.submitBodies().map(s -> Tuple.of(s.getBytes(StandardCharsets.UTF_8), "json"))),
                Tuple.of(2, JsonFuzz.deeplyNested().map(s -> Tuple.of(s.getBytes(StandardCharsets.UTF_8), "nested"))),
                Tuple.of(1, JsonFuzz.huge().map(s -> Tuple.of(s.getBytes(StandardCharsets.UTF_8), "huge"))),
                Tuple.of(2, JsonFuzz.invalidUtf8().map(b -> Tuple.of(b, "invalid-utf8"))),
                Tuple.of(1, Arbitraries.just(Tuple.of(ZIP_BOMB, "gzip-bomb"))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(500)
                        .map(b -> Tuple.of(concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, b), "gzip-corrupt"))),
                Tuple.of(1, JsonFuzz.submitBodies().map(s -> {
                    byte[] g = gzip(s.getBytes(StandardCharsets.UTF_8));
                    return Tuple.of(Arrays.copyOf(g, Math.max(1, g.length / 2)), "gzip-truncated");
                })),
                Tuple.of(1, JsonFuzz.submitBodies().map(s -> Tuple.of(gzip(gzip(s.getBytes(StandardCharsets.UTF_8))), "gzip-nested"))),
                Tuple.of(1, Arbitraries.just(Tuple.of(new byte[0], "empty"))));
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
