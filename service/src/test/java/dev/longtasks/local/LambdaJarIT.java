package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * On Lambda, API Gateway is the HTTP server: the deployment jar (after {@code package}) leaves out
 * Jetty and the local server built on it, so they cost neither size nor cold-start class loading.
 */
class LambdaJarIT {
    @Test
    void the_lambda_jar_holds_neither_jetty_nor_the_local_server() throws Exception {
        Path jar = Path.of("target", "service-" + Version.current() + "-lambda.jar");
        assertThat(jar).as("run after package").exists();

        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).toList();
        }

        assertThat(entries).contains("dev/longtasks/lambda/ApiHandler.class", "dev/longtasks/api/TaskApi.class");
        assertThat(entries).noneMatch(n -> n.startsWith("org/eclipse/jetty/")).noneMatch(n -> n.startsWith("dev/longtasks/local/"));
    }
}
