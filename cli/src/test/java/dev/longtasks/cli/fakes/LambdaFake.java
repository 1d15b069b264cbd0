package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Lambda over its REST wire protocol: GetFunction ({@code GET /2015-03-31/functions/{name}}) and
 * Invoke ({@code POST .../invocations}) answering with the payload, {@code X-Amz-Log-Result}
 * (base64 log tail) and {@code X-Amz-Function-Error} like the real service.
 */
public final class LambdaFake extends LoopbackServer {
    /** What one invocation answers. */
    public record Reply(String payload, String logTail, String functionError) {
    }

    private final Set<String> functions;
    private final Function<String, Reply> onInvoke;
    public final List<String> invocations = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> invocationHeaders = new CopyOnWriteArrayList<>();

    public LambdaFake(Set<String> functions, Function<String, Reply> onInvoke) {
        this.functions = functions;
        this.onInvoke = onInvoke;
    }

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        String path = ex.getRequestURI().getPath();
        String[] parts = path.split("/");
        // /2015-03-31/functions/{name}[/invocations]
        String name = parts.length > 3 ? parts[3] : "";
        if (!functions.contains(name)) {
            send(ex, 404, "application/json", "{\"Type\":\"User\",\"message\":\"Function not found: arn:aws:lambda:us-east-1:"
                    + StsFake.ACCOUNT + ":function:" + name + "\"}", Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
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
        headers.put("X-Amz-Executed-Version", "$LATEST");
        if ("Tail".equals(ex.getRequestHeaders().getFirst("X-Amz-Log-Type"))) {
            headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(r.logTail().getBytes(StandardCharsets.UTF_8)));
        }
        if (r.functionError() != null) {
            headers.put("X-Amz-Function-Error", r.functionError());
        }
        send(ex, 200, "application/json", r.payload(), headers);
    }
}
