package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Lambda over its REST wire protocol: GetFunction ({@code GET /2015-03-31/functions/{name}}),
 * GetFunctionConfiguration ({@code GET .../{name}/configuration?Qualifier=}) and Invoke
 * ({@code POST .../invocations?Qualifier=}) answering with the payload, {@code X-Amz-Log-Result}
 * (base64 log tail), {@code X-Amz-Function-Error} and {@code X-Amz-Executed-Version} like the real
 * service. Each function has {@code $LATEST} and the {@code snapstart} alias (version 3); any other
 * qualifier is not found, as in Lambda.
 */
public final class LambdaFake extends LoopbackServer {
    /** What one invocation answers. */
    public record Reply(String payload, String logTail, String functionError) {
    }

    private static final Map<String, String> VERSIONS = Map.of("$LATEST", "$LATEST", "snapstart", "3");

    private final Set<String> functions;
    private final Function<String, Reply> onInvoke;
    private final Map<String, Map<String, String>> environments = new ConcurrentHashMap<>();
    public final List<String> invocations = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> invocationHeaders = new CopyOnWriteArrayList<>();
    /** The request path and query of every call, as sent: {@code POST /2015-03-31/functions/f/invocations?Qualifier=snapstart}. */
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public LambdaFake(Set<String> functions, Function<String, Reply> onInvoke) {
        this.functions = functions;
        this.onInvoke = onInvoke;
    }

    /** The environment variables GetFunctionConfiguration reports for {@code function}. */
    public LambdaFake environment(String function, Map<String, String> variables) {
        environments.put(function, Map.copyOf(variables));
        return this;
    }

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
        String[] parts = path.split("/");
        // /2015-03-31/functions/{name}[/invocations|/configuration]
        String name = parts.length > 3 ? parts[3] : "";
        String qualifier = qualifier(query);
        if (!functions.contains(name) || (qualifier != null && !VERSIONS.containsKey(qualifier))) {
            send(ex, 404, "application/json", "{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:us-east-1:"
                    + StsFake.ACCOUNT + ":function:" + name + (qualifier == null ? "" : ":" + qualifier) + "\"}",
                    Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
            return;
        }
        String version = VERSIONS.get(qualifier == null ? "$LATEST" : qualifier);
        if ("GET".equals(ex.getRequestMethod()) && path.endsWith("/configuration")) {
            Map<String, Object> config = new HashMap<>(Map.of("FunctionName", name, "Runtime", "java21", "Version", version));
            config.put("Environment", Map.of("Variables", environments.getOrDefault(name, Map.of())));
            send(ex, 200, "application/json", Json.write(config), Map.of());
            return;
        }
        if ("GET".equals(ex.getRequestMethod())) {
            send(ex, 200, "application/json", "{\"Configuration\":{\"FunctionName\":\"" + name + "\",\"Runtime\":\"java21\"}}", Map.of());
            return;
        }
        invocations.add(body);
        invocationHeaders.add(Map.of(
                "X-Amz-Invocation-Type", String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Invocation-Type")),
                "X-Amz-Log-Type", String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Log-Type"))));
        Reply r = onInvoke.apply(body);
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Amz-Executed-Version", version);
        if ("Tail".equals(ex.getRequestHeaders().getFirst("X-Amz-Log-Type"))) {
            headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(r.logTail().getBytes(StandardCharsets.UTF_8)));
        }
        if (r.functionError() != null) {
            headers.put("X-Amz-Function-Error", r.functionError());
        }
        send(ex, 200, "application/json", r.payload(), headers);
    }

    private static String qualifier(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("Qualifier=")) {
                return URLDecoder.decode(pair.substring("Qualifier=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
