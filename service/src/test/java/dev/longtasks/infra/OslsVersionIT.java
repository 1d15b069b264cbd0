package dev.longtasks.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy tool itself: the osls that package.json pins is the one serverless.yml's
 * frameworkVersion admits, the licensed Serverless Framework v4 CLI cannot resolve that range, and
 * package.json asks for the Node versions osls supports.
 */
class OslsVersionIT {
    static final Path ROOT = Osls.projectRoot();

    static JsonNode json(String relative) {
        return Osls.readJson(ROOT.resolve(relative));
    }

    static String frameworkVersion() throws IOException {
        return new YAMLMapper().readTree(Files.readString(ROOT.resolve("serverless.yml"))).get("frameworkVersion").asText();
    }

    /** node-semver's satisfies(version, range), from the copy osls itself requires. */
    static boolean satisfiesForOsls(String version, String range) throws Exception {
        String script = "const semver = require(require.resolve('semver', { paths: [process.argv[1]] }));"
                + "process.stdout.write(String(semver.satisfies(process.argv[2], process.argv[3])));";
        Process p = new ProcessBuilder("node", "-e", script, ROOT.resolve("node_modules/osls").toString(), version, range)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("node-semver answer").isIn("true", "false");
        return Boolean.parseBoolean(out);
    }

    /**
     * Whether the v4 CLI's installer can parse a range at all. It uses Go's Masterminds/semver
     * v1.5.0 (binary-installer/go.mod in serverless/serverless): NewConstraint splits on "||",
     * then on ",", and each piece must be one optional operator and one version. When parsing
     * fails the installer prints "No version found for ..." and exits 1 (src/version.go).
     */
    static boolean v4InstallerParses(String range) {
        Pattern piece = Pattern.compile("^\\s*(=|!=|>|<|>=|=>|<=|=<|~|~>|\\^)?\\s*v?[0-9xX*]+(\\.[0-9xX*]+)?(\\.[0-9xX*]+)?"
                + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?\\s*$");
        // Hyphen ranges ("1.2 - 1.4") are rewritten to ">= 1.2, <= 1.4" before the split.
        String rewritten = range.replaceAll("(\\S+)\\s+-\\s+(\\S+)", ">= $1, <= $2");
        for (String or : rewritten.split("\\|\\|")) {
            for (String and : or.split(",")) {
                if (!piece.matcher(and).matches()) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void osls_reports_the_version_package_json_pins(@TempDir Path home) {
        String pinned = json("package.json").at("/devDependencies/osls").asText();
        Osls.RunResult r = Osls.run(ROOT, home, Map.of(), List.of("--version"));
        assertThat(r.exitCode()).as(r.log()).isZero();
        assertThat(r.log().strip()).isEqualTo("osls version: " + pinned);
        assertThat(json("node_modules/osls/package.json").get("version").asText()).isEqualTo(pinned);
    }

    @Test
    void framework_version_admits_that_osls_and_no_other_minor() throws Exception {
        String range = frameworkVersion();
        String osls = json("node_modules/osls/package.json").get("version").asText();
        assertThat(satisfiesForOsls(osls, range)).as("%s satisfies %s", osls, range).isTrue();
        assertThat(satisfiesForOsls("4.4.0", range)).isFalse();
        assertThat(satisfiesForOsls("3.40.0", range)).isFalse();
    }

    @Test
    void framework_version_is_a_range_the_v4_installer_cannot_parse() throws IOException {
        assertThat(v4InstallerParses(frameworkVersion())).as(frameworkVersion()).isFalse();
    }

    @Test
    void the_v4_installer_model_parses_what_masterminds_v1_accepts() {
        assertThat(v4InstallerParses("~4.3.1")).isTrue();
        assertThat(v4InstallerParses(">=4.3.1, <4.4.0")).isTrue();
        assertThat(v4InstallerParses("4.3.1 - 4.3.9 || ^4.5")).isTrue();
        assertThat(v4InstallerParses(">=4.3.1 <4.4.0")).isFalse();
    }

    @Test
    void package_json_asks_for_the_node_versions_osls_supports() {
        String osls = json("node_modules/osls/package.json").at("/engines/node").asText();
        assertThat(osls).isNotBlank();
        assertThat(json("package.json").at("/engines/node").asText()).isEqualTo(osls);
    }
}
