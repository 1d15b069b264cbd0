import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end load for the self-hosted benchmark: {@code clients} concurrent HTTP clients submit
 * {@code tasks} tasks to the API, then every task is read back until it ends.
 *
 * <p>Latency is submit-to-SUCCEEDED: from the moment the client sent the POST to the task's own
 * {@code finished_at} (same machine, same clock), so the read-back polling after the run adds
 * nothing to it. Throughput is tasks / (last finished_at - first submit).
 *
 * <p>Usage: java bench/SelfHostedLoad.java URL TASKS CLIENTS TYPE
 */
public class SelfHostedLoad {
    private static final Pattern ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern FINISHED = Pattern.compile("\"finished_at\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:4300";
        int tasks = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        String type = args.length > 3 ? args[3] : "noop";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        byte[] body = ("{\"type\":\"" + type + "\",\"data\":{}}").getBytes();

        String[] ids = new String[tasks];
        long[] sentAt = new long[tasks]; // epoch micros
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.execute(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < tasks) {
                        Instant now = Instant.now();
                        sentAt[i] = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            Matcher m = ID.matcher(r.body());
                            if (r.statusCode() == 202 && m.find()) {
                                ids[i] = m.group(1);
                            } else {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
            }
        }
        double submitSeconds = (System.nanoTime() - start) / 1e9;

        long[] latencyMicros = new long[tasks];
        long[] finishedAt = new long[tasks];
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger readIndex = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.execute(() -> {
                    int i;
                    while ((i = readIndex.getAndIncrement()) < tasks) {
                        if (ids[i] == null) {
                            continue;
                        }
                        finishedAt[i] = awaitEnd(http, base, ids[i], failed);
                        latencyMicros[i] = finishedAt[i] - sentAt[i];
                    }
                });
            }
        }
        int ok = (int) Arrays.stream(ids).filter(id -> id != null).count();
        long firstSent = Arrays.stream(sentAt).min().orElse(0);
        long lastFinished = Arrays.stream(finishedAt).max().orElse(0);
        long[] lat = new long[ok];
        int k = 0;
        for (int i = 0; i < tasks; i++) {
            if (ids[i] != null) {
                lat[k++] = latencyMicros[i];
            }
        }
        Arrays.sort(lat);
        double seconds = (lastFinished - firstSent) / 1e6;
        System.out.printf("{\"tasks\":%d,\"clients\":%d,\"submit_errors\":%d,\"not_succeeded\":%d,"
                        + "\"submit_per_s\":%.0f,\"end_to_end_per_s\":%.0f,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"max_ms\":%.1f}%n",
                tasks, clients, errors.get(), failed.get(), ok / submitSeconds, ok / seconds,
                lat[lat.length / 2] / 1000.0, lat[(int) (lat.length * 0.99)] / 1000.0, lat[lat.length - 1] / 1000.0);
    }

    /** Reads the task until it ends; returns its finished_at in epoch micros. */
    private static long awaitEnd(HttpClient http, String base, String id, AtomicInteger failed) {
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tasks/" + id)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                Matcher s = STATUS.matcher(r.body());
                if (r.statusCode() == 200 && s.find() && !s.group(1).equals("PENDING") && !s.group(1).equals("RUNNING")) {
                    if (!s.group(1).equals("SUCCEEDED")) {
                        failed.incrementAndGet();
                    }
                    Matcher f = FINISHED.matcher(r.body());
                    f.find();
                    Instant t = Instant.parse(f.group(1));
                    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
                }
                Thread.sleep(20);
            } catch (Exception e) {
                throw new IllegalStateException("reading task " + id + " failed: " + e, e);
            }
        }
    }
}
