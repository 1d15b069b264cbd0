package dev.longtasks.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The README's package table lists exactly the Java packages of the service and of taskctl. */
class ReadmePackageTableTest {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z][a-z0-9_.]*)`\\s*\\|\\s*(.*?)\\s*\\|\\s*$");

    /** Where the packages are: each source root, and the folder under it whose packages count. */
    private static final List<List<String>> TREES = List.of(
            List.of("service/src/main/java", "dev/longtasks"),
            List.of("cli/src/main/java", "dev/longtasks/cli"));

    /** The rows of the first table whose header starts with "package": package name and description. */
    static List<List<String>> tableRows(String readme) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : readme.lines().toList()) {
            if (!inTable) {
                inTable = line.matches("^\\|\\s*package\\s*\\|.*");
            } else if (line.startsWith("|---") || line.startsWith("| ---")) {
                continue;
            } else if (line.startsWith("|")) {
                Matcher m = ROW.matcher(line);
                rows.add(m.matches() ? List.of(m.group(1), m.group(2)) : List.of(line, ""));
            } else {
                break;
            }
        }
        return rows;
    }

    /** Every package (a folder holding .java files) under the two trees, as a Java package name. */
    static List<String> packagesInTree() throws IOException {
        List<String> out = new ArrayList<>();
        for (List<String> tree : TREES) {
            Path sources = RepoFiles.root().resolve(tree.get(0));
            try (Stream<Path> dirs = Files.walk(sources.resolve(tree.get(1)))) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    if (holdsJava(dir)) {
                        out.add(sources.relativize(dir).toString().replace('/', '.'));
                    }
                }
            }
        }
        return out;
    }

    private static boolean holdsJava(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> Files.isRegularFile(f) && f.toString().endsWith(".java"));
        }
    }

    private static List<List<String>> readmeRows() {
        return tableRows(RepoFiles.read("README.md"));
    }

    @Nested
    class The_package_table {
        @Test
        void lists_exactly_the_packages_of_the_service_and_taskctl() throws IOException {
            List<String> listed = readmeRows().stream().map(r -> r.get(0)).toList();

            assertThat(listed).as("packages in the README's table, against the folders holding .java files")
                    .containsExactlyInAnyOrderElementsOf(packagesInTree());
        }

        @Test
        void says_what_each_package_holds() {
            assertThat(readmeRows()).isNotEmpty().allSatisfy(row -> assertThat(row.get(1)).as(row.get(0)).isNotBlank());
        }
    }

    @Nested
    class The_table_reader {
        @Test
        void reads_the_rows_of_the_package_table_only() {
            String readme = """
                    | command | what it does |
                    |---|---|
                    | `dev.longtasks.nope` | another table |

                    | package | what it holds |
                    |---|---|
                    | `dev.longtasks.task` | the core |
                    | not a package | x |

                    | `dev.longtasks.after` | after the table |
                    """;

            assertThat(tableRows(readme)).containsExactly(
                    List.of("dev.longtasks.task", "the core"), List.of("| not a package | x |", ""));
        }
    }
}
