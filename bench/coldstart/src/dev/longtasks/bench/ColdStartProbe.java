package dev.longtasks.bench;

import dev.longtasks.aws.InitTimings;
import dev.longtasks.lambda.ApiHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One cold start, in a fresh JVM: construct ApiHandler (clients + SSM config + wiring) and handle
 * one POST event. Prints one line of timings in ms: jvm config clients init first total status.
 * "jvm" is process start to main (JVM boot); "total" is process start to the first response.
 */
public final class ColdStartProbe {
    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        Instant processStart = ProcessHandle.current().info().startInstant().orElseThrow();
        long jvmMs = Instant.now().toEpochMilli() - processStart.toEpochMilli()
                - (System.nanoTime() - mainNanos) / 1_000_000;
        byte[] event = Files.readAllBytes(Path.of(args[0]));

        long t0 = System.nanoTime();
        ApiHandler handler = new ApiHandler();
        long t1 = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new ProbeContext());
        long t2 = System.nanoTime();
        long total = Instant.now().toEpochMilli() - processStart.toEpochMilli();
        String response = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        String status = response.replaceAll("(?s).*\"statusCode\":(\\d+).*", "$1");
        System.err.flush();
        System.out.println("PROBE " + jvmMs + " " + InitTimings.configMillis() + " " + InitTimings.clientMillis()
                + " " + (t1 - t0) / 1_000_000 + " " + (t2 - t1) / 1_000_000 + " " + total + " " + status
                + " uptime=" + ManagementFactory.getRuntimeMXBean().getUptime());
    }
}
