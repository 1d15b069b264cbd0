package dev.longtasks.infra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's osls (node_modules/.bin/osls) on serverless.yml, offline and without
 * credentials: no AWS_ variable reaches it unless a test passes one, and HOME is a fresh directory.
 * Each package runs in a service directory of its own (a copy of serverless.yml, links to service/
 * and node_modules/): osls stages its output in `<service dir>/.serverless` and deletes that
 * directory, so runs side by side, or a developer's own `.serverless`, would collide.
 */
final class Osls {
    /** The three names, as `--param` values: they replace the SSM lookups, so nothing calls AWS. */
    static final Map<String, String> STAGING_NAMES = Map.of(
            "topicName", "system-events-staging",
            "topicArn", "arn:aws:sns:eu-west-1:123456789012:system-events-staging",
            "tableName", "long-running-tasks-staging");

    private Osls() {
    }

    /** What `osls package` printed and wrote; the JSON is null when it failed. */
    record Packaged(int exitCode, String log, JsonNode template, JsonNode state) {
        JsonNode resources() {
            return template.get("Resources");
        }

        JsonNode outputs() {
            return template.get("Outputs");
        }

        String region() {
            return state.at("/service/provider/region").asText();
        }

        /** Logical ids of the AWS::Lambda::Version resources: osls names them after a hash. */
        List<String> versionIds() {
            List<String> ids = new ArrayList<>();
            resources().properties().forEach(e -> {
                if ("AWS::Lambda::Version".equals(e.getValue().get("Type").asText())) {
                    ids.add(e.getKey());
                }
            });
            return ids.stream().sorted().toList();
        }
    }

    /** One `osls package` run: the stage, the params (as `--param k=v`), then any other options. */
    static Packaged pack(Path dir, String stage, Map<String, String> params, Map<String, String> env, String... options) {
        Path out = dir.resolve("package");
        List<String> args = new ArrayList<>(List.of("package", "--stage", stage, "--package", out.toString()));
        new TreeMap<>(params).forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
        args.addAll(List.of(options));
        RunResult r = run(serviceDir(dir), dir, env, args);
        if (r.exitCode() != 0) {
            return new Packaged(r.exitCode(), r.log(), null, null);
        }
        return new Packaged(0, r.log(), readJson(out.resolve("cloudformation-template-update-stack.json")),
                readJson(out.resolve("serverless-state.json")));
    }

    record RunResult(int exitCode, String log) {
    }

    /** A private service directory in {@code dir} whose serverless.yml is the project's. */
    private static Path serviceDir(Path dir) {
        Path root = projectRoot();
        try {
            Path copy = Files.createDirectories(dir.resolve("service-dir"));
            Files.copy(root.resolve("serverless.yml"), copy.resolve("serverless.yml"));
            Files.createSymbolicLink(copy.resolve("service"), root.resolve("service"));
            Files.createSymbolicLink(copy.resolve("node_modules"), root.resolve("node_modules"));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any osls command in {@code workDir}, with stdout and stderr together. */
    static RunResult run(Path workDir, Path home, Map<String, String> env, List<String> args) {
        Path root = projectRoot();
        Path osls = root.resolve("node_modules/.bin/osls");
        if (!Files.exists(osls)) {
            throw new IllegalStateException(osls + " is missing: run ./test.sh (it runs `npm ci` first)");
        }
        List<String> command = new ArrayList<>(List.of("node", osls.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> pe = pb.environment();
        // No credentials, no profile and no region: packaging must not need AWS.
        pe.keySet().removeIf(k -> k.startsWith("AWS_"));
        pe.put("HOME", home.toString());
        pe.put("SLS_TELEMETRY_DISABLED", "1");
        pe.put("SLS_NOTIFICATIONS_MODE", "off");
        pe.putAll(env);
        try {
            Process p = pb.start();
            byte[] log = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("osls " + args + " did not end within 120 s");
            }
            return new RunResult(p.exitValue(), new String(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path projectRoot() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("serverless.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException("serverless.yml not found above " + System.getProperty("user.dir"));
    }
}
