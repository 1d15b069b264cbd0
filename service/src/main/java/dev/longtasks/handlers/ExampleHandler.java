package dev.longtasks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The seed's {@code example} task: works through {@code steps} steps of {@code step_ms} each,
 * reporting progress after every step, and returns the SHA-256 of its input JSON. With
 * {@code fail_at_step} it fails at that step, to show the failure path.
 */
public final class ExampleHandler implements TaskHandler {
    public static final String TYPE = "example";
    static final int MAX_STEPS = 10_000;
    static final int MAX_STEP_MS = 60_000;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(JsonNode data) throws InvalidTaskInputException {
        if (!data.isObject()) {
            throw new InvalidTaskInputException("'data' must be a JSON object for task type 'example'");
        }
        intField(data, "steps", 5, 1, MAX_STEPS);
        intField(data, "step_ms", 200, 0, MAX_STEP_MS);
        if (data.has("fail_at_step")) {
            intField(data, "fail_at_step", 0, 1, MAX_STEPS);
        }
    }

    private static int intField(JsonNode data, String name, int dflt, int min, int max) throws InvalidTaskInputException {
        JsonNode n = data.get(name);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < min || n.intValue() > max) {
            throw new InvalidTaskInputException("'data." + name + "' must be an integer from " + min + " to " + max);
        }
        return n.intValue();
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
        validate(data);
        int steps = intField(data, "steps", 5, 1, MAX_STEPS);
        int stepMs = intField(data, "step_ms", 200, 0, MAX_STEP_MS);
        int failAt = data.has("fail_at_step") ? intField(data, "fail_at_step", 0, 1, MAX_STEPS) : -1;

        for (int step = 1; step <= steps; step++) {
            context.checkCancelled();
            if (stepMs > 0) {
                Thread.sleep(stepMs);
            }
            if (step == failAt) {
                throw new ExampleStepFailedException("step " + step + " of " + steps + " failed, as requested by fail_at_step");
            }
            context.progress(step * 100 / steps, "step " + step + " of " + steps);
        }
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("steps_completed", steps);
        result.put("data_sha256", sha256Hex(Json.write(data)));
        return result;
    }

    static String sha256Hex(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The failure {@code fail_at_step} asks for; its simple name becomes {@code error.type}. */
    public static final class ExampleStepFailedException extends Exception {
        public ExampleStepFailedException(String message) {
            super(message);
        }
    }
}
