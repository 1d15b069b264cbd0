package dev.longtasks.cli.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SSM Parameter Store over its real wire protocol (AWS JSON 1.1, X-Amz-Target), enough for
 * taskctl: GetParametersByPath and PutParameter with Overwrite semantics and versions. The real
 * SDK client talks to it, so serialisation, errors and pagination are exercised.
 */
public final class SsmFake extends LoopbackServer {
    public record Param(String name, String value, String type, long version) {
    }

    private final Map<String, Param> params = new TreeMap<>();
    public final List<String> puts = new CopyOnWriteArrayList<>();

    public synchronized void put(String name, String value, String type) {
        Param old = params.get(name);
        params.put(name, new Param(name, value, type, old == null ? 1 : old.version() + 1));
    }

    public synchronized Param get(String name) {
        return params.get(name);
    }

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode req = Json.MAPPER.readTree(body.isEmpty() ? "{}" : body);
        switch (target == null ? "" : target) {
            case "AmazonSSM.GetParametersByPath" -> send(ex, 200, "application/x-amz-json-1.1", Json.write(byPath(req)), Map.of());
            case "AmazonSSM.PutParameter" -> putParameter(ex, req);
            default -> send(ex, 400, "application/x-amz-json-1.1",
                    "{\"__type\":\"InvalidAction\",\"message\":\"not faked: " + target + "\"}", Map.of());
        }
    }

    private synchronized ObjectNode byPath(JsonNode req) {
        String path = req.path("Path").asText();
        // Two per page, so the client's paginator has to follow NextToken.
        int start = req.hasNonNull("NextToken") ? Integer.parseInt(req.get("NextToken").asText()) : 0;
        List<Param> matching = params.values().stream().filter(p -> p.name().startsWith(path)).toList();
        ObjectNode res = Json.MAPPER.createObjectNode();
        ArrayNode arr = res.putArray("Parameters");
        for (int i = start; i < Math.min(start + 2, matching.size()); i++) {
            Param p = matching.get(i);
            ObjectNode o = arr.addObject();
            o.put("Name", p.name());
            o.put("Type", p.type());
            o.put("Value", p.value());
            o.put("Version", p.version());
            o.put("LastModifiedDate", 1.7645e9);
        }
        if (start + 2 < matching.size()) {
            res.put("NextToken", String.valueOf(start + 2));
        }
        return res;
    }

    private void putParameter(HttpExchange ex, JsonNode req) throws IOException {
        String name = req.path("Name").asText();
        boolean overwrite = req.path("Overwrite").asBoolean(false);
        Param result;
        synchronized (this) {
            if (params.containsKey(name) && !overwrite) {
                send(ex, 400, "application/x-amz-json-1.1", "{\"__type\":\"ParameterAlreadyExists\",\"message\":\"The parameter already exists.\"}", Map.of());
                return;
            }
            put(name, req.path("Value").asText(), req.path("Type").asText("String"));
            result = params.get(name);
            puts.add(name);
        }
        send(ex, 200, "application/x-amz-json-1.1", "{\"Version\":" + result.version() + ",\"Tier\":\"Standard\"}", Map.of());
    }
}
