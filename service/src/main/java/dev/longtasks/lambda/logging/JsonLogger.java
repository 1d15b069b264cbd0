package dev.longtasks.lambda.logging;

import dev.longtasks.json.Json;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One JSON object per line on stdout, in the shape of Powertools' Lambda JSON logs
 * ({@code timestamp, level, service, message, cold_start, function_request_id, ...}). Used in the
 * Lambda artifact instead of Powertools logging + log4j2, which measured too slow at cold start
 * (see BENCHMARKS.md, "Lambda cold start").
 */
public final class JsonLogger extends LegacyAbstractLogger {
    private final transient JsonLogSettings settings;
    private final transient Supplier<Map<String, String>> context;

    /** @param context the MDC of the binding (request id, cold start) */
    JsonLogger(String name, JsonLogSettings settings, Supplier<Map<String, String>> context) {
        this.name = name;
        this.settings = settings;
        this.context = context;
    }

    private boolean on(Level level) {
        return level.toInt() >= settings.level().toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return on(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("service", settings.service());
        line.put("message", MessageFormatter.basicArrayFormat(pattern, args));
        line.put("logger", name);
        if (settings.functionName() != null) {
            line.put("function_name", settings.functionName());
        }
        Map<String, String> mdc = context.get();
        if (mdc != null) {
            mdc.forEach((k, v) -> line.put(k, "cold_start".equals(k) ? Boolean.valueOf(v) : v));
        }
        if (t != null) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            line.put("error", Map.of("name", t.getClass().getName(), "message", String.valueOf(t.getMessage()),
                    "stack", trace.toString()));
        }
        PrintStream out = settings.out();
        String json = Json.write(line);
        synchronized (out) {
            out.println(json);
        }
    }
}
