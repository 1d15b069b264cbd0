package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.TaskApi;
import dev.longtasks.fuzz.HttpFuzz;
import dev.longtasks.fuzz.ResponseChecks;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.reliability.RecordingTaskStore;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskHandler;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.FixedContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The Lambda adapter (ApiHandler) under hostile HTTP API v2 events: everything a client can put
 * in a request (method, path, query string, headers, cookies, body, text or base64) plus odd
 * event shapes. The invocation must never fail (API Gateway would turn that into a bare 500),
 * and the answer obeys the same rules as the HTTP core's.
 */
@Label("Lambda ApiHandler under hostile HTTP API v2 events")
class ApiHandlerPropertiesTest {
    private static RecordingTaskStore store;
    private static ApiHandler handler;
    private static final AtomicLong CASES = new AtomicLong();
    private static final Map<String, Long> BY_STATUS = new ConcurrentSkipListMap<>();

    @BeforeContainer
    static void start() {
        MemoryTaskStore memory = MemoryTaskStore.builder().maxTasks(5_000_000).build();
        store = new RecordingTaskStore(memory);
        List<TaskHandler> handlers = new ArrayList<>();
        BuiltInHandlers.all().types().forEach(t -> handlers.add(BuiltInHandlers.all().find(t).orElseThrow()));
        handlers.add(CountingHandler.instant());
        TaskService service = new TaskService(store, event -> { }, TaskHandlers.of(handlers), Clock.systemUTC(),
                Duration.ofHours(1), "fuzz", TaskService.DEFAULT_MAX_INPUT_BYTES);
        // The list and stats routes read the memory store itself: the recorder only sees writes.
        handler = new ApiHandler(TaskApi.builder(service).options(ApiOptions.defaults()).listing(memory, "memory").build());
    }

    @AfterContainer
    static void report() throws Exception {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("property", "lambda-api-handler");
        json.put("cases", CASES.get());
        json.put("status_5xx", BY_STATUS.entrySet().stream().filter(e -> e.getKey().startsWith("5")).mapToLong(Map.Entry::getValue).sum());
        json.set("by_status", Json.MAPPER.valueToTree(BY_STATUS));
        Path out = Path.of("target", "reliability", "fuzz-lambda-api-handler.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    @Provide
    Arbitrary<ObjectNode> events() {
        Arbitrary<String> rawQuery = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("")),
                Tuple.of(2, Arbitraries.of("a=1&b=2", "wait=1", "x", "&&", "=", "a=", "%", "%zz", "a=%E0%A4%A", "a=%",
                        "q=%25", "a=1%26b%3D2", "%00=%00", "a=+b", "\u00e9=\u00e8")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
        Arbitrary<Integer> shape = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(0)), // well-formed
                Tuple.of(1, Arbitraries.integers().between(1, 6))); // one structural oddity
        Arbitrary<Boolean> base64 = Arbitraries.of(true, false);
        return Combinators.combine(HttpFuzz.requests(), rawQuery, shape, base64).as(ApiHandlerPropertiesTest::event);
    }

    static ObjectNode event(HttpFuzz.Req req, String rawQuery, int shape, boolean base64) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", req.path());
        e.put("rawQueryString", rawQuery);
        ObjectNode headers = e.putObject("headers");
        req.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        if (req.headers().containsKey("Cookie")) {
            e.putArray("cookies").add("a=b").add(req.headers().get("Cookie").getFirst());
        }
        ObjectNode http = e.putObject("requestContext").putObject("http");
        http.put("method", req.method());
        http.put("path", req.path());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.7");
        String text = utf8OrNull(req.body());
        // API Gateway sends text bodies as they are and everything else base64-encoded.
        if (req.body().length > 0) {
            if (text != null && !base64) {
                e.put("body", text);
                e.put("isBase64Encoded", false);
            } else {
                e.put("body", Base64.getEncoder().encodeToString(req.body()));
                e.put("isBase64Encoded", true);
            }
        } else {
            e.put("isBase64Encoded", false);
        }
        switch (shape) {
            case 1 -> e.remove("requestContext");
            case 2 -> e.putNull("body");
            case 3 -> e.putNull("headers");
            case 4 -> e.putArray("headers").add("x");
            case 5 -> e.remove("rawPath");
            case 6 -> e.putObject("requestContext").putObject("http").put("method", 7);
            default -> {
            }
        }
        return e;
    }

    private static String utf8OrNull(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Example
    @Label("finding (fixed): a malformed %-escape in the query string was thrown out of the handler (API Gateway: 500)")
    void a_malformed_escape_in_the_query_string_is_answered_not_thrown() throws Exception {
        for (String query : List.of("%", "a=%", "%zz=1", "a=%E0%A4%A")) {
            ObjectNode event = event(new HttpFuzz.Req("GET", "/v1/health", Map.of(), Map.of(), new byte[0], "empty"), query, 0, false);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), out, FixedContext.standard());
            assertThat(Json.MAPPER.readTree(out.toByteArray()).get("statusCode").asInt()).as(query).isEqualTo(200);
        }
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    @Label("the invocation never fails, never a 5xx, errors are problem+json without internals, a rejected request changes nothing")
    void hostile_events_are_answered_safely(@ForAll("events") ObjectNode event) throws Exception {
        long mutationsBefore = store.mutations();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = Json.writeBytes(event);
        handler.handleRequest(new ByteArrayInputStream(in), out, FixedContext.standard());

        JsonNode res = Json.MAPPER.readTree(out.toByteArray());
        int status = res.get("statusCode").asInt();
        CASES.incrementAndGet();
        BY_STATUS.merge(Integer.toString(status), 1L, Long::sum);
        byte[] body = res.path("isBase64Encoded").asBoolean()
                ? Base64.getDecoder().decode(res.path("body").asText())
                : res.path("body").asText().getBytes(StandardCharsets.UTF_8);
        String contentEncoding = res.path("headers").path("Content-Encoding").asText(null);
        String text = ResponseChecks.bodyText(body, contentEncoding);
        ResponseChecks.check(status, res.path("headers").path("Content-Type").asText(null), text,
                new String(in, StandardCharsets.UTF_8) + new String(Base64.getDecoder().decode(
                        event.path("isBase64Encoded").asBoolean() ? event.path("body").asText("") : ""), StandardCharsets.ISO_8859_1));
        if (status >= 400) {
            assertThat(store.mutations()).as("a rejected request wrote to the store").isEqualTo(mutationsBefore);
        }
    }
}
