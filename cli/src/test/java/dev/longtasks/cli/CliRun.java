package dev.longtasks.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Runs taskctl through the real CommandLine with captured stdout/stderr and no terminal. */
public final class CliRun {
    public record Result(int code, String out, String err) {
        public String[] outLines() {
            return out.isEmpty() ? new String[0] : out.split("\n");
        }
    }

    private CliRun() {
    }

    public static Result run(String... args) {
        return run(Map.of(), "", args);
    }

    public static Result run(Map<String, String> env, String stdin, String... args) {
        return run(CliEnvironment.of(env, () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))), args);
    }

    /** In an environment of the test's own, e.g. one where stdin is a terminal. */
    public static Result run(CliEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(environment, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The environment of a test stage whose AWS calls all go to loopback fakes/emulators. */
    public static Map<String, String> awsEnv(Map<String, String> endpoints) {
        HashMap<String, String> env = new HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "us-east-1"));
        endpoints.forEach((service, url) -> env.put("AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT), url));
        return env;
    }
}
