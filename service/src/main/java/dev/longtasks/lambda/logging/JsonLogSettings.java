package dev.longtasks.lambda.logging;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * What the JSON logs read from the environment, with Powertools' variable names and defaults:
 * {@code POWERTOOLS_SERVICE_NAME} (default {@code service_undefined}) and
 * {@code POWERTOOLS_LOG_LEVEL} (default INFO; an unknown value also means INFO).
 */
public record JsonLogSettings(String service, Level level, String functionName, PrintStream out) {

    public static JsonLogSettings from(Map<String, String> env, PrintStream out) {
        String service = env.getOrDefault("POWERTOOLS_SERVICE_NAME", "service_undefined");
        return new JsonLogSettings(service.isBlank() ? "service_undefined" : service,
                level(env.get("POWERTOOLS_LOG_LEVEL")), env.get("AWS_LAMBDA_FUNCTION_NAME"), out);
    }

    static Level level(String raw) {
        if (raw == null || raw.isBlank()) {
            return Level.INFO;
        }
        String v = raw.trim().toUpperCase(Locale.ROOT);
        if ("WARNING".equals(v)) {
            return Level.WARN;
        }
        if ("CRITICAL".equals(v) || "FATAL".equals(v)) {
            return Level.ERROR;
        }
        for (Level l : Level.values()) {
            if (l.name().equals(v)) {
                return l;
            }
        }
        return Level.INFO;
    }
}
