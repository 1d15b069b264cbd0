package dev.longtasks.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real RabbitMQ memory alarm, raised with {@code rabbitmqctl set_vm_memory_high_watermark} on the
 * local node. An alarm is node-wide: it blocks every publishing connection, other test runs'
 * included. So it is raised for seconds only and always lifted: by {@link #close}, by the tests'
 * {@code @AfterAll}, and by a watchdog process started before the alarm, which lifts it after
 * {@code limit} even when this JVM dies first.
 */
public final class BrokerAlarm implements AutoCloseable {
    private static volatile String normalWatermark;
    private static volatile boolean raised;

    private final Process watchdog;

    private BrokerAlarm(Process watchdog) {
        this.watchdog = watchdog;
    }

    /**
     * Skips (fails under CI=true) unless {@code rabbitmqctl} on this machine controls the broker the
     * tests use: AMQP_URL on loopback, and a relative watermark to restore afterwards.
     */
    /**
     * rabbitmqctl, from PATH or Debian's /usr/sbin: a fresh shell with PATH=/usr/bin:/bin (the
     * README's new-user check) has no sbin on its PATH.
     */
    private static final String CTL = findCtl();

    private static String findCtl() {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "rabbitmqctl"))) {
                return java.nio.file.Path.of(dir, "rabbitmqctl").toString();
            }
        }
        return "rabbitmqctl";
    }

    public static void requireControl() {
        String host = URI.create(LocalServices.amqpUrl()).getHost();
        String problem = null;
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                Assumptions.abort("AMQP_URL points at " + host + ": rabbitmqctl here cannot raise an alarm on it; skipped");
            }
            String watermark = ctl("-q", "eval", "vm_memory_monitor:get_vm_memory_high_watermark().").strip();
            Double.parseDouble(watermark);
            normalWatermark = watermark;
        } catch (IOException | RuntimeException e) {
            problem = "rabbitmqctl cannot read the broker's memory watermark (" + e.getMessage() + ")";
        }
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(problem + "; CI=true needs it");
            }
            Assumptions.abort(problem + "; skipped (set CI=true to make this a failure)");
        }
    }

    /** Raises the memory alarm and waits until the node reports it; lifted after {@code limit} at the latest. */
    public static BrokerAlarm raise(Duration limit) throws IOException {
        Process watchdog = new ProcessBuilder("sh", "-c", "sleep " + limit.toSeconds()
                + " && " + CTL + " -q set_vm_memory_high_watermark " + normalWatermark)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BrokerAlarm alarm = new BrokerAlarm(watchdog);
        raised = true;
        try {
            ctl("-q", "set_vm_memory_high_watermark", "0.0000001");
            Eventually.await("the broker to report the memory alarm", Duration.ofSeconds(10), () -> {
                try {
                    return ctl("-q", "eval", "rabbit_alarm:get_alarms().").contains("memory");
                } catch (IOException e) {
                    return false;
                }
            });
            return alarm;
        } catch (IOException | RuntimeException | AssertionError e) {
            alarm.close();
            throw e;
        }
    }

    /** Lifts the alarm if this JVM raised one (safe to call any number of times). */
    public static void lift() {
        if (!raised) {
            return;
        }
        try {
            ctl("-q", "set_vm_memory_high_watermark", normalWatermark);
            raised = false;
        } catch (IOException e) {
            throw new IllegalStateException("could not lift the broker's memory alarm: run "
                    + "`rabbitmqctl set_vm_memory_high_watermark " + normalWatermark + "`", e);
        }
    }

    @Override
    public void close() {
        try {
            lift();
        } finally {
            watchdog.destroy();
        }
    }

    private static String ctl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(CTL));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running rabbitmqctl", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }
}
