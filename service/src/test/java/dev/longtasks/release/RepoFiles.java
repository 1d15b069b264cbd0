package dev.longtasks.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the repository's own files (README, CI definitions) from a test running in a module. */
final class RepoFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The marker of the commented-out GitLab deploy jobs; removing it from each line enables them. */
    static final String GITLAB_DEPLOY_PREFIX = "#> ";

    private RepoFiles() {
    }

    /** The repository root: the nearest directory upwards whose pom.xml lists the modules. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<modules>")) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no parent pom.xml with <modules> above " + Path.of("").toAbsolutePath());
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(root().resolve(relative));
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> githubWorkflows() {
        try (Stream<Path> files = Files.list(root().resolve(".github/workflows"))) {
            return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** .gitlab-ci.yml as it is once a team enables the deploy jobs (every "#> " prefix removed). */
    static String gitlabWithDeployEnabled() {
        return read(".gitlab-ci.yml").lines()
                .map(l -> l.startsWith(GITLAB_DEPLOY_PREFIX) ? l.substring(GITLAB_DEPLOY_PREFIX.length())
                        : l.equals(GITLAB_DEPLOY_PREFIX.strip()) ? "" : l)
                .reduce("", (a, b) -> a + b + "\n");
    }

    /**
     * The README's test command: in the "## Quick start" section's code block, the line whose comment
     * says it runs every test (e.g. {@code ./test.sh        # runs every test}), without the comment.
     */
    static String readmeTestCommand() {
        List<String> lines = read("README.md").lines().toList();
        boolean inQuickStart = false;
        boolean inCode = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inQuickStart = line.strip().equalsIgnoreCase("## Quick start");
                inCode = false;
            } else if (inQuickStart && line.startsWith("```")) {
                inCode = !inCode;
            } else if (inQuickStart && inCode && line.contains("# runs every test")) {
                return line.substring(0, line.indexOf('#')).strip();
            }
        }
        throw new AssertionError("README.md has no line ending in '# runs every test' in a code block of '## Quick start'");
    }
}
