package dev.longtasks.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every relative link in the README, the top-level pages and docs/ leads somewhere real. */
class DocsLinksTest {

    /** The top-level Markdown pages and every page under docs/. */
    static List<Path> pages() throws IOException {
        Path root = RepoFiles.root();
        try (Stream<Path> top = Files.list(root); Stream<Path> docs = Files.list(root.resolve("docs"))) {
            return Stream.concat(top, docs)
                    .filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .toList();
        }
    }

    @Nested
    class The_pages {
        @Test
        void include_the_readme_the_top_level_pages_and_the_manual() throws IOException {
            List<String> names = pages().stream().map(p -> RepoFiles.root().relativize(p).toString()).toList();

            assertThat(names).contains("README.md", "CONTRIBUTING.md", "RELIABILITY.md", "BENCHMARKS.md", "CHANGELOG.md",
                    "docs/taskctl.md", "docs/http-api.md", "docs/configuration.md", "docs/deploy.md",
                    "docs/self-hosted.md", "docs/adding-a-task-type.md");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.longtasks.release.DocsLinksTest#pages")
        void have_only_relative_links_that_resolve_to_a_file_and_a_heading(Path page) {
            assertThat(MarkdownLinks.broken(RepoFiles.root(), page)).isEmpty();
        }
    }

    /** The checker itself, on pages written here: it must be able to fail. */
    @Nested
    class The_checker {
        @TempDir
        Path root;

        private List<String> brokenTargets(String markdown) throws IOException {
            Files.writeString(root.resolve("other.md"), "# Other page\n\n## Run the API locally\n\n## Steps\n\n## Steps\n");
            Files.createDirectories(root.resolve("docs"));
            Path page = Files.writeString(root.resolve("docs/page.md"), markdown);
            return MarkdownLinks.broken(root, page).stream().map(MarkdownLinks.Broken::target).toList();
        }

        @Test
        void reports_a_link_to_a_missing_file_and_to_a_missing_heading() throws IOException {
            assertThat(brokenTargets("""
                    See [gone](../gone.md), [a heading](../other.md#no-such-heading) and [fine](../other.md#steps-1).
                    """)).containsExactly("../gone.md", "../other.md#no-such-heading");
        }

        @Test
        void reports_a_missing_heading_of_the_same_page_and_a_link_out_of_the_repository() throws IOException {
            assertThat(brokenTargets("""
                    # Page

                    [up](#page) [nowhere](#missing) [outside](../../etc/passwd) [ref]

                    [ref]: ../absent.txt
                    """)).containsExactly("#missing", "../../etc/passwd", "../absent.txt");
        }

        @Test
        void ignores_web_links_and_links_inside_code() throws IOException {
            assertThat(brokenTargets("""
                    [web](https://example.com/x.md) [mail](mailto:ops@example.com) `[code](nope.md)`

                    ```
                    [block](nope.md)
                    ```
                    """)).isEmpty();
        }

        @Test
        void accepts_folders_and_code_in_link_text() throws IOException {
            assertThat(brokenTargets("[the docs](./) and [`other`](../other.md#run-the-api-locally)")).isEmpty();
        }
    }

    @Nested
    class Slugs {
        @Test
        void follow_github_lower_case_without_punctuation_with_spaces_as_hyphens() {
            assertThat(MarkdownLinks.slug("Self-hosted (Redis + RabbitMQ)")).isEqualTo("self-hosted-redis--rabbitmq");
            assertThat(MarkdownLinks.slug("`taskctl` start-up")).isEqualTo("taskctl-start-up");
            assertThat(MarkdownLinks.slug("What a unit, integration and end-to-end test is here"))
                    .isEqualTo("what-a-unit-integration-and-end-to-end-test-is-here");
            assertThat(MarkdownLinks.slug("CI/CD")).isEqualTo("cicd");
            assertThat(MarkdownLinks.slug("[0.1.0] - 2026-11-26")).isEqualTo("010---2026-11-26");
        }

        @Test
        void number_repeated_headings() {
            assertThat(MarkdownLinks.anchors("# A\n## Steps\n```\n# not a heading\n```\n## Steps\n"))
                    .containsExactly("a", "steps", "steps-1");
        }
    }
}
