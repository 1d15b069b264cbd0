package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.testing.Systems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /v1/docs rendered by a real headless browser (Debian's chromium) shows the API's operations. */
class SwaggerUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Nested
    class InChromium {
        @Test
        void the_docs_page_renders_every_operation(@TempDir Path profile) throws Exception {
            if (!Files.isExecutable(CHROMIUM)) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("CI=true but /usr/bin/chromium is missing; .ci/run installs it with apt-get");
                }
                Assumptions.abort("skipped: /usr/bin/chromium is missing (apt-get install -y chromium); CI is not set");
            }
            var env = Systems.env("PORT", "0");
            LocalMain.Running running = LocalMain.start(ServiceSettings.fromEnv(env), env);
            try {
                Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
                        "http://127.0.0.1:" + running.port() + "/v1/docs")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                CompletableFuture<String> dom = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                boolean exited = p.waitFor(90, TimeUnit.SECONDS);
                if (!exited) {
                    p.destroyForcibly();
                }
                String html = dom.get(10, TimeUnit.SECONDS);

                assertThat(exited).as("chromium exited").isTrue();
                assertThat(html).contains("data-path=\"/v1/example/process-task\"", "data-path=\"/v1/tasks\"",
                        "data-path=\"/v1/tasks/{task_id}\"", "data-path=\"/v1/health\"");
                assertThat(html).contains("Submit an example task", "Get a task's status, progress and result",
                        "Cancel a task", "Liveness check");
            } finally {
                running.stop(Duration.ZERO);
            }
        }
    }
}
