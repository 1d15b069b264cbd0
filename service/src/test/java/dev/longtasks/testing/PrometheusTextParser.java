package dev.longtasks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Prometheus project's own text-format parser, its Python client's
 * {@code prometheus_client.parser.text_string_to_metric_families} (Debian's
 * {@code python3-prometheus-client}, run by Debian's {@code /usr/bin/python3}): the Java client 1.x
 * only writes the format. A text it cannot parse fails the test with the parser's message. Without
 * the package the test fails under {@code CI=true} ({@code .ci/run} installs it) and is skipped
 * with the reason otherwise.
 */
public final class PrometheusTextParser {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = String.join("\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = []",
            "for f in text_string_to_metric_families(sys.stdin.read()):",
            "    out.append({'name': f.name, 'type': f.type, 'help': f.documentation,",
            "                'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]})",
            "print(json.dumps(out))");

    /** One sample as the parser read it. */
    public record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private PrometheusTextParser() {
    }

    /** Skips or fails (CI=true) when the parser is not installed. */
    public static void require() {
        String problem = null;
        if (!Files.isExecutable(PYTHON)) {
            problem = PYTHON + " is missing";
        } else if (run("import prometheus_client.parser", "").exitCode != 0) {
            problem = "python3-prometheus-client is not installed";
        }
        if (problem == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + problem + "; .ci/run installs it with apt-get");
        }
        Assumptions.abort("skipped: " + problem + " (apt-get install -y python3-prometheus-client); CI is not set");
    }

    /** Every sample of {@code text}, parsed by the Prometheus parser; fails when it does not parse. */
    public static List<Sample> parse(String text) {
        require();
        Result r = run(SCRIPT, text);
        if (r.exitCode != 0) {
            throw new AssertionError("the Prometheus parser refused the text: " + r.stderr + "\n--- text ---\n" + text);
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode family : Json.read(r.stdout)) {
            for (JsonNode s : family.get("samples")) {
                Map<String, String> labels = new java.util.TreeMap<>();
                s.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                samples.add(new Sample(family.get("name").asText(), family.get("type").asText(), s.get("name").asText(),
                        labels, s.get("value").asDouble()));
            }
        }
        return samples;
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(String script, String stdin) {
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", script).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the Prometheus parser did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the Prometheus parser ran", e);
        }
    }
}
