import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak driver (run by bench/soak.sh): mixed submit / get / cancel load against a running local
 * server for a fixed time. Every 30 s it records the throughput of the window and the heap after a
 * full GC (jcmd GC.run + GC.heap_info on the server's pid). At the end it polls every task it
 * submitted until it ends, then reports lost (404 before an end state was seen), stranded (not
 * ended after the drain), refused submits (a 503: with the publish faults of {@code soak.sh
 * --selfhosted} a submit must still answer 202) and 5xx answers. Exit code 1 when lost, stranded
 * or 5xx is not zero.
 *
 * Usage: java Soak.java BASE_URL SECONDS SERVER_PID OUT_JSON [SUBMITS_PER_SECOND] [DRAIN_SECONDS]
 * (SERVER_PID {@code -}: no heap figures, e.g. when the server is several processes).
 */
public class Soak {
    static final Pattern ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    static final Pattern USED = Pattern.compile("heap\\s+total[^\\n]*?used (\\d+)K");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final LinkedBlockingQueue<String> open = new LinkedBlockingQueue<>();
    final Map<String, String> ended = new ConcurrentHashMap<>();
    final Map<String, Boolean> submitted = new ConcurrentHashMap<>();
    final AtomicLong submits = new AtomicLong(), gets = new AtomicLong(), cancels = new AtomicLong();
    final AtomicLong errors5xx = new AtomicLong(), lost = new AtomicLong(), transportErrors = new AtomicLong();
    final AtomicLong refused = new AtomicLong(), accepted = new AtomicLong();
    volatile boolean submitting = true;
    volatile boolean polling = true;

    Soak(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int seconds = Integer.parseInt(args[1]);
        String pid = args[2];
        Path out = Path.of(args[3]);
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        int drain = args.length > 5 ? Integer.parseInt(args[5]) : 120;
        System.exit(new Soak(base).run(seconds, pid, out, rate, drain));
    }

    int run(int seconds, String pid, Path out, int rate, int drainSeconds) throws Exception {
        List<Thread> threads = new ArrayList<>();
        // Enough submitters (virtual threads) that a slow answer, up to 1 s, does not lower the offered rate.
        int submitters = Math.max(4, rate);
        for (int i = 0; i < submitters; i++) {
            threads.add(Thread.ofVirtual().start(() -> submitLoop(rate / (double) submitters)));
        }
        List<Thread> pollers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pollers.add(Thread.ofVirtual().start(this::pollLoop));
        }
        List<String> windows = new ArrayList<>();
        long start = System.nanoTime();
        long[] last = {0, 0, 0};
        System.out.printf("%-6s %10s %10s %10s %14s%n", "t(s)", "submit/s", "get/s", "cancel/s", "heap-after-GC");
        for (int t = 30; t <= seconds; t += 30) {
            sleepUntil(start + Duration.ofSeconds(t).toNanos());
            long s = submits.get(), g = gets.get(), c = cancels.get();
            long heapKb = pid.equals("-") ? -1 : heapAfterGc(pid);
            String line = String.format("{\"t_s\":%d,\"submit_per_s\":%.1f,\"get_per_s\":%.1f,\"cancel_per_s\":%.1f,\"heap_after_gc_kb\":%d}",
                    t, (s - last[0]) / 30.0, (g - last[1]) / 30.0, (c - last[2]) / 30.0, heapKb);
            System.out.printf("%-6d %10.1f %10.1f %10.1f %12d K%n", t, (s - last[0]) / 30.0, (g - last[1]) / 30.0,
                    (c - last[2]) / 30.0, heapKb);
            windows.add(line);
            last = new long[] {s, g, c};
        }
        submitting = false;
        for (Thread th : threads) {
            th.join();
        }
        // Drain: keep polling until every submitted task has been seen in an end state.
        long submitEnd = System.nanoTime();
        long drainDeadline = submitEnd + Duration.ofSeconds(drainSeconds).toNanos();
        while (unfinished() > 0 && System.nanoTime() < drainDeadline) {
            Thread.sleep(200);
        }
        double drainedSeconds = (System.nanoTime() - submitEnd) / 1e9;
        polling = false;
        for (Thread th : pollers) {
            th.join();
        }
        long stranded = unfinished();
        Map<String, Long> perState = new java.util.TreeMap<>();
        ended.values().forEach(st -> perState.merge(st, 1L, Long::sum));
        double submitsPerSecond = accepted.get() / (double) seconds;
        String summary = String.format(java.util.Locale.ROOT, "{\"seconds\":%d,\"offered_per_s\":%d,\"tasks_submitted\":%d,"
                        + "\"submits_per_s\":%.2f,\"tasks_ended\":%s,\"lost\":%d,\"stranded\":%d,\"refused_503\":%d,"
                        + "\"http_5xx\":%d,\"transport_errors\":%d,\"drain_s\":%.1f,\"windows\":[%s]}",
                seconds, rate, submitted.size(), submitsPerSecond, toJson(perState), lost.get(), stranded, refused.get(),
                errors5xx.get(), transportErrors.get(), drainedSeconds, String.join(",", windows));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, summary + "\n");
        System.out.printf(java.util.Locale.ROOT, "submitted=%d (%.2f/s) ended=%s lost=%d stranded=%d refused_503=%d 5xx=%d"
                        + " transport_errors=%d drained_in=%.1fs%n", submitted.size(), submitsPerSecond, perState, lost.get(),
                stranded, refused.get(), errors5xx.get(), transportErrors.get(), drainedSeconds);
        return lost.get() == 0 && stranded == 0 && errors5xx.get() == 0 ? 0 : 1;
    }

    /** Submitted tasks not yet seen in an end state (and not lost). */
    long unfinished() {
        return submitted.size() - ended.size() - lost.get();
    }

    static String toJson(Map<String, Long> m) {
        StringBuilder b = new StringBuilder("{");
        m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return b.append('}').toString();
    }

    void submitLoop(double perSecond) {
        long intervalNanos = (long) (1e9 / perSecond);
        long next = System.nanoTime();
        long n = 0;
        while (submitting) {
            sleepUntil(next);
            next += intervalNanos;
            String body = "{\"data\":{\"steps\":2,\"step_ms\":" + (n % 5) * 10 + ",\"soak\":\"" + "x".repeat((int) (n % 200)) + "\"}}";
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/v1/example/process-task"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            submits.incrementAndGet();
            if (r != null && r.statusCode() == 503) {
                refused.incrementAndGet();
            }
            if (r == null || r.statusCode() != 202) {
                continue;
            }
            Matcher m = ID.matcher(r.body());
            if (!m.find()) {
                continue;
            }
            String id = m.group(1);
            submitted.put(id, Boolean.TRUE);
            accepted.incrementAndGet();
            if (n++ % 10 == 0) {
                send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + id)).DELETE());
                cancels.incrementAndGet();
            }
            open.add(id);
        }
    }

    void pollLoop() {
        while (polling) {
            String id;
            try {
                id = open.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (id == null) {
                continue;
            }
            sleepUntil(System.nanoTime() + 20_000_000L); // a client polls, it does not spin
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + id)).GET());
            gets.incrementAndGet();
            if (r == null || r.statusCode() >= 500) {
                open.add(id);
                continue;
            }
            if (r.statusCode() == 404) {
                lost.incrementAndGet(); // gone before anyone saw it end
                continue;
            }
            Matcher m = STATUS.matcher(r.body());
            String status = m.find() ? m.group(1) : "?";
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                ended.put(id, status);
            } else {
                open.add(id);
            }
        }
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 500) {
                errors5xx.incrementAndGet();
            }
            return r;
        } catch (IOException e) {
            transportErrors.incrementAndGet();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static long heapAfterGc(String pid) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            new ProcessBuilder(jcmd, pid, "GC.run").redirectErrorStream(true).start().waitFor();
            Process p = new ProcessBuilder(jcmd, pid, "GC.heap_info").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = USED.matcher(text);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
