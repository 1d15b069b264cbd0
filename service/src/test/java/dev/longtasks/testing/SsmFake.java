package dev.longtasks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback stand-in for SSM Parameter Store speaking the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: AmazonSSM.<Operation>}), so the real SDK client, its serialisation,
 * retries and error mapping are exercised. There is no SSM emulator in reach (DESIGN §8).
 *
 * <p>Operations: GetParametersByPath (Recursive, MaxResults, NextToken), GetParameters,
 * GetParameter, PutParameter (Overwrite, ParameterAlreadyExists), DeleteParameter. Failures can
 * be injected: {@link #failNext(int, int, String)} answers throttling or 5xx errors. Values are
 * stored and returned as given, whatever the type (a SecureString is "decrypted" by not being
 * encrypted). {@link #puts()} lists the parameters written through PutParameter.
 * Reused by the cli module's tests through the service test-jar.
 */
public final class SsmFake implements AutoCloseable {
    public record Param(String name, String type, String value, long version, long modified) {
    }

    private final HttpServer server;
    private final TreeMap<String, Param> params = new TreeMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<String> puts = new ArrayList<>();
    private int failuresLeft;
    private int failureStatus;
    private String failureType;
    private int pageSize = 10;

    public SsmFake() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public synchronized SsmFake put(String name, String value) {
        return put(name, "String", value);
    }

    public synchronized SsmFake put(String name, String type, String value) {
        Param old = params.get(name);
        params.put(name, new Param(name, type, value, old == null ? 1 : old.version() + 1, System.currentTimeMillis() / 1000));
        return this;
    }

    public synchronized Map<String, Param> parameters() {
        return Map.copyOf(params);
    }

    /** The parameter called {@code name}, or null. */
    public synchronized Param get(String name) {
        return params.get(name);
    }

    /** Names written by successful PutParameter requests, in order (not those seeded with put). */
    public synchronized List<String> puts() {
        return List.copyOf(puts);
    }

    /** Forgets the PutParameter writes seen so far, e.g. after a test's setup step. */
    public synchronized void clearPuts() {
        puts.clear();
    }

    /** The seed's three parameters for a stage. */
    public SsmFake seed(String stage, String topicName, String topicArn, String table) {
        put("/" + stage + "/v1/sns/system_event_topic_name", topicName);
        put("/" + stage + "/v1/sns/system_event_topic_arn", topicArn);
        return put("/" + stage + "/v1/tables/long_running_tasks_table", table);
    }

    /** Answers the next {@code count} requests with {@code status} and error {@code type}. */
    public synchronized void failNext(int count, int status, String type) {
        failuresLeft = count;
        failureStatus = status;
        failureType = type;
    }

    /** Results per GetParametersByPath page (AWS allows at most 10). */
    public synchronized void pageSize(int size) {
        this.pageSize = size;
    }

    public int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    public synchronized List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            JsonNode in = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
            Object[] answer;
            synchronized (this) {
                requests.add(in);
                if (failuresLeft > 0) {
                    failuresLeft--;
                    answer = error(failureStatus, failureType, "injected failure");
                } else {
                    answer = dispatch(op, in);
                }
            }
            byte[] body = Json.writeBytes(answer[1]);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            ex.sendResponseHeaders((Integer) answer[0], body.length);
            ex.getResponseBody().write(body);
        }
    }

    private Object[] dispatch(String op, JsonNode in) {
        return switch (op) {
            case "GetParametersByPath" -> byPath(in);
            case "GetParameters" -> getParameters(in);
            case "GetParameter" -> getParameter(in);
            case "PutParameter" -> putParameter(in);
            case "DeleteParameter" -> deleteParameter(in);
            default -> error(400, "InvalidAction", "operation " + op + " is not supported by the SSM fake");
        };
    }

    private Object[] byPath(JsonNode in) {
        String path = in.path("Path").asText();
        String prefix = path.endsWith("/") ? path : path + "/";
        boolean recursive = in.path("Recursive").asBoolean(false);
        int max = in.has("MaxResults") ? in.get("MaxResults").asInt() : pageSize;
        int size = Math.min(max, pageSize);
        int start = in.has("NextToken") ? Integer.parseInt(in.get("NextToken").asText()) : 0;
        List<Param> matching = new ArrayList<>();
        for (Param p : params.tailMap(prefix).values()) {
            if (!p.name().startsWith(prefix)) {
                break;
            }
            if (recursive || p.name().indexOf('/', prefix.length()) < 0) {
                matching.add(p);
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode list = out.putArray("Parameters");
        int end = Math.min(matching.size(), start + size);
        for (Param p : matching.subList(Math.min(start, matching.size()), end)) {
            list.add(json(p));
        }
        if (end < matching.size()) {
            out.put("NextToken", Integer.toString(end));
        }
        return new Object[] {200, out};
    }

    private Object[] getParameters(JsonNode in) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode found = out.putArray("Parameters");
        ArrayNode invalid = out.putArray("InvalidParameters");
        for (JsonNode n : in.path("Names")) {
            Param p = params.get(n.asText());
            if (p == null) {
                invalid.add(n.asText());
            } else {
                found.add(json(p));
            }
        }
        return new Object[] {200, out};
    }

    private Object[] getParameter(JsonNode in) {
        Param p = params.get(in.path("Name").asText());
        if (p == null) {
            return error(400, "ParameterNotFound", "Parameter " + in.path("Name").asText() + " not found.");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("Parameter", json(p));
        return new Object[] {200, out};
    }

    private Object[] putParameter(JsonNode in) {
        String name = in.path("Name").asText();
        if (params.containsKey(name) && !in.path("Overwrite").asBoolean(false)) {
            return error(400, "ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        put(name, in.path("Type").asText("String"), in.path("Value").asText());
        puts.add(name);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("Version", params.get(name).version());
        out.put("Tier", "Standard");
        return new Object[] {200, out};
    }

    private Object[] deleteParameter(JsonNode in) {
        if (params.remove(in.path("Name").asText()) == null) {
            return error(400, "ParameterNotFound", "Parameter " + in.path("Name").asText() + " not found.");
        }
        return new Object[] {200, Json.MAPPER.createObjectNode()};
    }

    private static ObjectNode json(Param p) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Name", p.name());
        o.put("Type", p.type());
        o.put("Value", p.value());
        o.put("Version", p.version());
        o.put("LastModifiedDate", p.modified());
        o.put("ARN", "arn:aws:ssm:us-east-1:000000000000:parameter" + p.name());
        o.put("DataType", "text");
        return o;
    }

    private static Object[] error(int status, String type, String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("__type", type);
        o.put("message", message);
        return new Object[] {status, o};
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
