package dev.longtasks.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * The training run install.sh records the AOT cache (JDK 25+) or CDS archive (21-24) from: the
 * common start-up paths of taskctl in one JVM, with all output discarded. Only class loading and
 * linking are being recorded, so no server is needed: the HTTP client's path is trained against a
 * closed port and ends in the same error handling a user would see.
 */
public final class Training {
    private Training() {
    }

    public static void main(String... args) {
        String id = "3f1c9e0a-1111-4111-8111-111111111111";
        String closed = "http://127.0.0.1:9";
        String[][] runs = {
                {"--version"},
                {"--help"},
                {"submit", "--help"},
                {"watch", "--help"},
                {"status", "--api-url", closed, id},
                {"status", "--api-url", closed, "-o", "json", id},
                {"watch", "--api-url", closed, "--timeout", "1s", id},
                {"cancel", "--api-url", closed, id},
                {"submit", "--api-url", closed, "--data", "{\"steps\":1}"},
                {"submit", "--api-url", closed, "--data", "{not json"},
                {"event", "sns", "--task-id", id},
                {"completion", "bash"},
        };
        for (String[] run : runs) {
            CliEnvironment env = CliEnvironment.of(Map.of(), () -> new ByteArrayInputStream(new byte[0]));
            Main.run(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), run);
        }
    }
}
