package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A process that cannot start says why in one line on stderr and exits non-zero, whatever the
 * cause: the real {@link LocalMain} in a separate JVM, started the way a user would, failing in
 * ways no configuration check anticipates.
 */
class StartupFailureProcessTest {
    record Exit(int code, List<String> stderr) {
    }

    private static Exit run(String classpath, Map<String, String> env) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", classpath, LocalMain.class.getName());
        pb.environment().putAll(env);
        pb.environment().put("PORT", "0");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process ends by itself").isTrue();
        return new Exit(p.exitValue(), new String(err, StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void a_class_missing_from_the_classpath_is_named_in_one_line_and_exits_1() throws Exception {
        // What starting TASKS_STORE=redis from a jar without the Redis client (the Lambda jar) does.
        String[] all = System.getProperty("java.class.path").split(File.pathSeparator);
        String withoutJedis = Arrays.stream(all).filter(e -> !e.replace('\\', '/').contains("/redis/clients/jedis/"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutJedis.split(File.pathSeparator)).as("the Redis client left out").hasSize(all.length - 1);

        Exit exit = run(withoutJedis, Map.of("TASKS_STORE", "redis"));

        assertThat(exit.stderr()).hasSize(1);
        assertThat(exit.stderr().getFirst())
                .startsWith("error: cannot start: ")
                .contains("NoClassDefFoundError", "redis/clients/jedis/", "a class is missing from the classpath");
        assertThat(exit.code()).isEqualTo(1);
    }

    @Test
    void a_handler_class_that_fails_to_load_is_named_in_one_line_and_exits_1() throws Exception {
        Exit exit = run(System.getProperty("java.class.path"),
                Map.of("TASKS_HANDLER_CLASSES", BrokenAtLoadHandler.class.getName()));

        assertThat(exit.stderr()).hasSize(1);
        assertThat(exit.stderr().getFirst())
                .startsWith("error: cannot start: ")
                .contains("ExceptionInInitializerError", "the broken-at-load handler's settings file is missing");
        assertThat(exit.code()).isEqualTo(1);
    }
}
