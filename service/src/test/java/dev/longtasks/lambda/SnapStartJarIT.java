package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The deployment jar (after {@code package}) carries the CRaC API the priming hooks are written
 * against (Lambda's runtime calls them through it), and leaves out the AWS clients only taskctl uses.
 */
class SnapStartJarIT {
    @Test
    void the_lambda_jar_holds_the_crac_api_and_the_priming_but_not_taskctls_clients() throws Exception {
        Path jar = Path.of("target", "service-" + Version.current() + "-lambda.jar");
        assertThat(jar).as("run after package").exists();

        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(JarEntry::getName).toList();
        }

        assertThat(entries).contains("org/crac/Core.class", "org/crac/Resource.class",
                "dev/longtasks/lambda/SnapStartPriming.class", "dev/longtasks/aws/PrimingCalls.class");
        for (String taskctlOnly : List.of("cloudformation", "sts", "lambda")) {
            assertThat(entries).noneMatch(n -> n.startsWith("software/amazon/awssdk/services/" + taskctlOnly + "/"));
        }
    }
}
