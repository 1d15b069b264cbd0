package dev.longtasks.bench;

import dev.longtasks.aws.InitTimings;
import dev.longtasks.lambda.ApiHandler;
import dev.longtasks.lambda.LambdaRuntime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One cold start, in a fresh JVM: construct ApiHandler (clients + wiring, and the SSM read when the
 * names are not in the environment) and handle one POST event. Prints one line of timings in ms:
 * jvm config clients init prime first total status.
 * "jvm" is process start to main (JVM boot); "total" is process start to the first response.
 *
 * <p>System properties: {@code probe.prime=true} runs the SnapStart beforeCheckpoint hook's work
 * ({@code SnapStartPriming.prime()}) at the end of init, as Lambda would before the snapshot (this
 * JVM has no CRaC, so nothing calls the hook by itself); {@code probe.names=ssm} drops
 * TASKS_TABLE and TASKS_TOPIC_ARN from the environment, so init reads them from SSM (the fallback
 * for a function deployed without them).
 */
public final class ColdStartProbe {
    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        Instant processStart = ProcessHandle.current().info().startInstant().orElseThrow();
        long jvmMs = Instant.now().toEpochMilli() - processStart.toEpochMilli()
                - (System.nanoTime() - mainNanos) / 1_000_000;
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        Map<String, String> env = new HashMap<>(System.getenv());
        if ("ssm".equals(System.getProperty("probe.names"))) {
            env.remove("TASKS_TABLE");
            env.remove("TASKS_TOPIC_ARN");
        }

        long t0 = System.nanoTime();
        ApiHandler handler = new ApiHandler(env);
        long t1 = System.nanoTime();
        if (Boolean.getBoolean("probe.prime")) {
            LambdaRuntime.forEnv(env).priming().prime();
        }
        long t2 = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new ProbeContext());
        long t3 = System.nanoTime();
        long total = Instant.now().toEpochMilli() - processStart.toEpochMilli();
        String response = out.toString(StandardCharsets.UTF_8);
        String status = response.replaceAll("(?s).*\"statusCode\":(\\d+).*", "$1");
        System.err.flush();
        System.out.println("PROBE " + jvmMs + " " + InitTimings.configMillis() + " " + InitTimings.clientMillis()
                + " " + (t1 - t0) / 1_000_000 + " " + (t2 - t1) / 1_000_000 + " " + (t3 - t2) / 1_000_000
                + " " + total + " " + status + " uptime=" + ManagementFactory.getRuntimeMXBean().getUptime());
    }
}
