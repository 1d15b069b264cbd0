// End-to-end load: submits N tasks over HTTP from C concurrent clients (POST /v1/tasks), polls
// until every task has ended, and reports throughput and submit-to-finish latency.
// JDK only; run as a single-file program:
//   java bench/E2eLoad.java --url http://127.0.0.1:4000 --tasks 10000 --clients 64 --type noop [--json]
// Latency of a task = its finished_at (recorded by the service) - the instant the client sent the
// submit, so how late the poller looks does not count. The client and the service must share a clock
// (the same machine, or NTP-synced hosts).
// The client is a minimal keep-alive HTTP/1.1 client, one connection per simulated client: the
// JDK's java.net.http client cost as much CPU per request as the server and, on a 2-core machine,
// capped the measured end-to-end rate at the client's own speed.

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class E2eLoad {
    record Options(String url, int tasks, int clients, String type, String data, Duration timeout, boolean json) {}

    record Submitted(String id, Instant sentAt) {}

    record Ended(String status, Instant finishedAt) {}

    private static final AtomicInteger POLL_ERRORS = new AtomicInteger();
    private static final Pattern ID = Pattern.compile("\"task_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern FINISHED = Pattern.compile("\"finished_at\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        URI base = URI.create(o.url());
        String body = "{\"type\":\"" + o.type() + "\",\"data\":" + o.data() + "}";

        // Phase 1: submit from C clients.
        ConcurrentLinkedQueue<Submitted> submitted = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger submitErrors = new AtomicInteger();
        Map<Integer, AtomicInteger> errorCodes = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < o.clients(); c++) {
                pool.submit(() -> {
                    try (Http client = new Http(base)) {
                        while (next.getAndIncrement() < o.tasks()) {
                            submitOne(client, o, body, submitted, submitErrors, errorCodes);
                        }
                    }
                    return null;
                });
            }
        }
        double submitSeconds = (System.nanoTime() - t0) / 1e9;

        // Phase 2: poll every submitted task until it ends, C requests at a time.
        Map<String, Ended> ended = new ConcurrentHashMap<>();
        List<Submitted> all = new ArrayList<>(submitted);
        long deadline = System.nanoTime() + o.timeout().toNanos();
        List<Submitted> open = all;
        int unreachablePasses = 0;
        while (!open.isEmpty() && System.nanoTime() < deadline && unreachablePasses < 3) {
            ConcurrentLinkedQueue<Submitted> work = new ConcurrentLinkedQueue<>(open);
            POLL_ERRORS.set(0);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < o.clients(); c++) {
                    pool.submit(() -> {
                        try (Http client = new Http(base)) {
                            Submitted s;
                            while ((s = work.poll()) != null) {
                                pollOne(client, o, s, ended);
                            }
                        }
                        return null;
                    });
                }
            }
            // A pass in which every poll failed to connect means the service is gone: stop early.
            unreachablePasses = POLL_ERRORS.get() >= open.size() ? unreachablePasses + 1 : 0;
            open = open.stream().filter(s -> !ended.containsKey(s.id())).toList();
            if (!open.isEmpty()) {
                Thread.sleep(50);
            }
        }
        double wallSeconds = (System.nanoTime() - t0) / 1e9;
        report(o, start, all, ended, submitErrors.get(), errorCodes, submitSeconds, wallSeconds, open.size());
        System.exit(open.isEmpty() && submitErrors.get() == 0 ? 0 : 1);
    }

    static void submitOne(Http client, Options o, String body, ConcurrentLinkedQueue<Submitted> submitted,
                          AtomicInteger errors, Map<Integer, AtomicInteger> codes) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Instant sent = Instant.now();
            try {
                Http.Response r = client.send("POST", "/v1/tasks", body);
                if (r.statusCode() == 202) {
                    Matcher m = ID.matcher(r.body());
                    if (m.find()) {
                        submitted.add(new Submitted(m.group(1), sent));
                        return;
                    }
                }
                codes.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                if (r.statusCode() != 503 && r.statusCode() != 429) {
                    break; // not worth retrying
                }
                Thread.sleep(200L * (attempt + 1));
            } catch (Exception e) {
                codes.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        errors.incrementAndGet();
    }

    static void pollOne(Http client, Options o, Submitted s, Map<String, Ended> ended) {
        try {
            Http.Response r = client.send("GET", "/v1/tasks/" + s.id(), null);
            if (r.statusCode() != 200) {
                return;
            }
            Matcher st = STATUS.matcher(r.body());
            if (!st.find()) {
                return;
            }
            String status = st.group(1);
            if (status.equals("PENDING") || status.equals("RUNNING")) {
                return;
            }
            Matcher f = FINISHED.matcher(r.body());
            ended.put(s.id(), new Ended(status, f.find() ? Instant.parse(f.group(1)) : Instant.now()));
        } catch (Exception e) {
            POLL_ERRORS.incrementAndGet(); // polled again in the next pass
        }
    }

    static void report(Options o, Instant start, List<Submitted> all, Map<String, Ended> ended, int submitErrors,
                       Map<Integer, AtomicInteger> codes, double submitSeconds, double wallSeconds, int unfinished) {
        long succeeded = ended.values().stream().filter(e -> e.status().equals("SUCCEEDED")).count();
        long[] latMicros = all.stream().filter(s -> ended.containsKey(s.id()))
                .mapToLong(s -> Duration.between(s.sentAt(), ended.get(s.id()).finishedAt()).toNanos() / 1000)
                .sorted().toArray();
        Instant lastFinish = ended.values().stream().map(Ended::finishedAt).max(Instant::compareTo).orElse(start);
        double e2eSeconds = Math.max(1e-9, Duration.between(start, lastFinish).toNanos() / 1e9);
        double throughput = ended.isEmpty() ? 0 : ended.size() / e2eSeconds;
        double submitRate = all.size() / Math.max(1e-9, submitSeconds);
        if (o.json()) {
            System.out.printf(Locale.ROOT, "{\"url\":\"%s\",\"type\":\"%s\",\"tasks\":%d,\"clients\":%d,\"submitted\":%d,"
                            + "\"submit_errors\":%d,\"succeeded\":%d,\"ended_other\":%d,\"unfinished\":%d,"
                            + "\"submit_seconds\":%.3f,\"submits_per_second\":%.1f,\"e2e_seconds\":%.3f,"
                            + "\"tasks_per_second\":%.1f,\"latency_ms\":{\"p50\":%.2f,\"p90\":%.2f,\"p99\":%.2f,\"max\":%.2f},"
                            + "\"wall_seconds\":%.3f}%n",
                    o.url(), o.type(), o.tasks(), o.clients(), all.size(), submitErrors, succeeded,
                    ended.size() - succeeded, unfinished, submitSeconds, submitRate, e2eSeconds, throughput,
                    pct(latMicros, 50), pct(latMicros, 90), pct(latMicros, 99), pct(latMicros, 100), wallSeconds);
            return;
        }
        System.out.printf(Locale.ROOT, "e2e: %d %s tasks from %d clients against %s%n", o.tasks(), o.type(), o.clients(), o.url());
        System.out.printf(Locale.ROOT, "  submitted  %d in %.2f s (%.0f submits/s), %d submit errors%s%n", all.size(),
                submitSeconds, submitRate, submitErrors, codes.isEmpty() ? "" : " " + codes);
        System.out.printf(Locale.ROOT, "  ended      %d SUCCEEDED, %d other, %d unfinished at the timeout%n",
                succeeded, ended.size() - succeeded, unfinished);
        System.out.printf(Locale.ROOT, "  throughput %.0f tasks/s (first submit to last finished_at: %.2f s)%n", throughput, e2eSeconds);
        System.out.printf(Locale.ROOT, "  latency    submit -> finished_at: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                pct(latMicros, 50), pct(latMicros, 90), pct(latMicros, 99), pct(latMicros, 100));
    }

    static double pct(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, i))] / 1000.0;
    }

    static Options parse(String[] args) {
        String url = "http://127.0.0.1:4000";
        int tasks = 10_000;
        int clients = 64;
        String type = "noop";
        String data = "{}";
        Duration timeout = Duration.ofMinutes(5);
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--url" -> url = value(args, ++i, a).replaceAll("/+$", "");
                case "--tasks" -> tasks = Integer.parseInt(value(args, ++i, a));
                case "--clients" -> clients = Integer.parseInt(value(args, ++i, a));
                case "--type" -> type = value(args, ++i, a);
                case "--data" -> data = value(args, ++i, a);
                case "--timeout-seconds" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    System.out.println("usage: java bench/E2eLoad.java [--url U] [--tasks N] [--clients C] [--type T] "
                            + "[--data JSON] [--timeout-seconds S] [--json]");
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (tasks < 1 || clients < 1) {
            System.err.println("--tasks and --clients must be positive");
            System.exit(2);
        }
        return new Options(url, tasks, clients, type, data, timeout, json);
    }

    static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** One keep-alive HTTP/1.1 connection; reconnects after an error or {@code Connection: close}. */
    static final class Http implements AutoCloseable {
        record Response(int statusCode, String body) {}

        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Http(URI base) {
            this.host = base.getHost();
            this.port = base.getPort() > 0 ? base.getPort() : 80;
        }

        Response send(String method, String path, String body) throws IOException {
            try {
                return exchange(method, path, body);
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private Response exchange(String method, String path, String body) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 10_000);
                socket.setSoTimeout(30_000);
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
            }
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path)
                    .append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
            }
            head.append("\r\n");
            ByteArrayOutputStream req = new ByteArrayOutputStream(head.length() + payload.length);
            req.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(payload);
            out.write(req.toByteArray());
            out.flush();

            String status = line();
            if (status == null || status.length() < 12) {
                throw new IOException("connection closed before the response");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            int length = 0;
            boolean close = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    close = true;
                }
            }
            byte[] bytes = in.readNBytes(length);
            if (close) {
                close();
            }
            return new Response(code, new String(bytes, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                sb.append((char) c);
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a broken connection
                }
                socket = null;
            }
        }
    }
}
