package dev.longtasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a fresh taskctl JVM loads, as {@code -Xlog:class+load} reports it: start-up time is mostly
 * classes loaded and run once, so these are the regression checks for it (timings are too noisy
 * on a shared machine to assert). {@code --version} needs neither picocli nor Jackson; an HTTP
 * {@code status} needs picocli, but not Jackson, slf4j or the AWS SDK.
 */
class StartupClassesTest {
    static final List<String> NEVER_AT_START = List.of("com.fasterxml.jackson.", "org.slf4j.", "software.amazon.");

    @TempDir
    Path dir;

    record Started(int code, String out, List<String> classes) {
        boolean loadedAny(String prefix) {
            return classes.stream().anyMatch(c -> c.startsWith(prefix));
        }
    }

    /** Runs Main in a new JVM on this test's class path, with no AOT cache or CDS archive of ours. */
    Started start(String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("classes.log");
        Path out = dir.resolve("out.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("taskctl %s finished", String.join(" ", args)).isTrue();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            // [0.012s][info][class,load] java.lang.Object source: shared objects file
            String[] words = line.split(" ");
            if (words.length > 1) {
                classes.add(words[1]);
            }
        }
        return new Started(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), classes);
    }

    @Nested
    class Version {
        @Test
        void loads_neither_picocli_nor_jackson_slf4j_or_the_aws_sdk() throws Exception {
            Started s = start("--version");

            assertThat(s.code()).isZero();
            assertThat(s.out()).startsWith("taskctl ");
            assertThat(s.classes()).as("the log lists what loaded").contains(Main.class.getName());
            assertThat(s.loadedAny("picocli.")).as("picocli loaded").isFalse();
            for (String prefix : NEVER_AT_START) {
                assertThat(s.loadedAny(prefix)).as(prefix + " loaded").isFalse();
            }
        }
    }

    @Nested
    class Http_status {
        @Test
        void loads_picocli_but_neither_jackson_slf4j_nor_the_aws_sdk() throws Exception {
            try (LocalService service = new LocalService()) {
                var submitted = CliRun.run("submit", "--api-url", service.url(), "--data", "{\"steps\":1,\"step_ms\":0}", "--wait");
                assertThat(submitted.code()).as(submitted.err()).isZero();
                String id = submitted.outLines()[0].trim();

                Started s = start("status", "--api-url", service.url(), id);

                assertThat(s.code()).isZero();
                assertThat(s.out()).contains(id, "SUCCEEDED");
                assertThat(s.loadedAny("picocli.")).as("the log lists picocli, which parses the command").isTrue();
                for (String prefix : NEVER_AT_START) {
                    assertThat(s.loadedAny(prefix)).as(prefix + " loaded").isFalse();
                }
            }
        }
    }
}
