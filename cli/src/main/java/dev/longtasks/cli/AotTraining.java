package dev.longtasks.cli;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.TaskApi;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.local.LocalServer;
import dev.longtasks.wiring.TaskSystem;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * The training run install.sh records the AOT cache (JDK 25+) or CDS archive (21-24) from: the
 * common start-up paths of taskctl in one JVM, with all output discarded. Only class loading and
 * linking are being recorded. The HTTP paths run twice: against a closed port (the error
 * handling a user sees when nothing listens) and against a real local service started in this
 * JVM on a free loopback port, so reading and printing a task view are in the cache too.
 */
public final class AotTraining {
    private AotTraining() {
    }

    public static void main(String... args) {
        // What Main.main does before any command. A class the training never loads is read from
        // the jar at run time, and opening the 30 MB jar alone measured ~15 ms of CPU.
        Main.configureProcess();
        CliEnvironment.system();
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
            run(run);
        }
        ServiceSettings settings = ServiceSettings.fromEnv(Map.of("PORT", "0"));
        try (TaskSystem system = TaskSystem.start(settings);
             LocalServer server = LocalServer.start(new TaskApi(system.service(), ApiOptions.from(settings)),
                     "127.0.0.1", 0, settings.maxBodyBytes())) {
            String url = "http://127.0.0.1:" + server.port();
            StringWriter out = new StringWriter();
            Main.run(CliEnvironment.of(Map.of(), () -> new ByteArrayInputStream(new byte[0])),
                    new PrintWriter(out), new PrintWriter(new StringWriter()),
                    "submit", "--api-url", url, "--data", "{\"steps\":1,\"step_ms\":1}", "--wait");
            String submitted = out.toString().lines().findFirst().orElse(id).trim();
            for (String[] run : new String[][] {
                    {"status", "--api-url", url, submitted},
                    {"status", "--api-url", url, "-o", "json", submitted},
                    {"watch", "--api-url", url, submitted},
                    {"watch", "--api-url", url, "-o", "jsonl", submitted},
                    {"cancel", "--api-url", url, submitted},
                    {"status", "--api-url", url, id},
            }) {
                run(run);
            }
        } catch (Exception e) {
            // Training is best effort: a cache from the closed-port runs alone still helps.
            System.err.println("training against a local service skipped: " + e);
        }
    }

    private static void run(String... args) {
        CliEnvironment env = CliEnvironment.of(Map.of(), () -> new ByteArrayInputStream(new byte[0]));
        Main.run(env, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    }
}
