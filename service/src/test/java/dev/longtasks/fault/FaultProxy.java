package dev.longtasks.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy that injects faults between the service and a backend (dynalite, fauxqs,
 * Redis, RabbitMQ). In {@link #tcp} mode it pumps bytes; in {@link #http} mode it understands
 * HTTP/1.1 framing, so it can also answer single requests with canned errors (500, 503, DynamoDB
 * throttling) for the next N requests or for requests with a given {@code X-Amz-Target}.
 *
 * <p>The mode ({@link Fault}) is switchable at run time and is re-read per chunk or per request,
 * so a switch reaches connections that are already open.
 */
public final class FaultProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final boolean http;
    private final AtomicReference<Fault> mode = new AtomicReference<>(Fault.passThrough());
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private final Map<String, AtomicLong> forwardedByTarget = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record Rule(String amzTarget, AtomicInteger passing, AtomicInteger remaining, HttpFault answer) {
        boolean takes(HttpMessage request) {
            if (amzTarget != null) {
                String target = request.header("X-Amz-Target");
                if (target == null || !target.endsWith(amzTarget)) {
                    return false;
                }
            }
            if (passing.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return false;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }

    private FaultProxy(String host, int port, boolean http) throws IOException {
        this.upstream = new InetSocketAddress(host, port);
        this.http = http;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fault-proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** A byte-level proxy (Redis, AMQP, or HTTP when only connection faults are needed). */
    public static FaultProxy tcp(String host, int port) throws IOException {
        return new FaultProxy(host, port, false);
    }

    /** An HTTP/1.1-aware proxy that can also answer canned HTTP errors. */
    public static FaultProxy http(String host, int port) throws IOException {
        return new FaultProxy(host, port, true);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public Fault mode() {
        return mode.get();
    }

    /** Switches the mode; {@link Fault.Reset} also resets every open connection at once. */
    public void set(Fault fault) {
        mode.set(fault);
        if (fault instanceof Fault.Reset) {
            resetAll();
        }
    }

    /** Resets every open connection (SO_LINGER 0) without changing the mode. */
    public void resetAll() {
        for (Link link : links) {
            link.reset();
        }
    }

    /** A crashed-and-restarted backend: reset everything, refuse for {@code outage}, then pass through. */
    public Thread resetAndRefuseFor(Duration outage) {
        set(Fault.reset());
        return Thread.ofVirtual().start(() -> restoreAfter(outage));
    }

    /** A network partition: black-hole everything for {@code outage}, then pass new connections through. */
    public Thread blackHoleFor(Duration outage) {
        set(Fault.blackHole());
        return Thread.ofVirtual().start(() -> restoreAfter(outage));
    }

    private void restoreAfter(Duration outage) {
        try {
            Thread.sleep(outage);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mode.set(Fault.passThrough());
    }

    /** HTTP mode: answer the next {@code n} requests with {@code answer} instead of forwarding them. */
    public void failNext(int n, HttpFault answer) {
        requireHttp();
        rules.add(new Rule(null, new AtomicInteger(0), new AtomicInteger(n), answer));
    }

    /**
     * HTTP mode: forward the next {@code pass} requests, then answer {@code n} with {@code answer}.
     * For the query-protocol services (SNS), which name their action in the body, not in a header.
     */
    public void failAfter(int pass, int n, HttpFault answer) {
        requireHttp();
        rules.add(new Rule(null, new AtomicInteger(pass), new AtomicInteger(n), answer));
    }

    /** HTTP mode: answer the next {@code n} requests whose X-Amz-Target ends with {@code target}. */
    public void failMatching(String target, int n, HttpFault answer) {
        requireHttp();
        rules.add(new Rule(target, new AtomicInteger(0), new AtomicInteger(n), answer));
    }

    /** Drops rules that have not fired yet. */
    public void clearHttpFaults() {
        rules.clear();
    }

    private void requireHttp() {
        if (!http) {
            throw new IllegalStateException("HTTP faults need FaultProxy.http(...)");
        }
    }

    public long connectionsAccepted() {
        return accepted.get();
    }

    public long connectionsReset() {
        return resets.get();
    }

    /** HTTP mode: requests forwarded to the upstream. */
    public long requestsForwarded() {
        return forwarded.get();
    }

    /** HTTP mode: requests answered with an injected error. */
    /** HTTP mode: requests forwarded whose X-Amz-Target names {@code operation} ("PutItem", "UpdateItem", ...). */
    public long requestsForwarded(String operation) {
        AtomicLong n = forwardedByTarget.get(operation);
        return n == null ? 0 : n.get();
    }

    public long requestsFaulted() {
        return faulted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Link link = new Link(client);
            links.add(link);
            Thread.ofVirtual().name("fault-proxy-link").start(() -> serve(link));
        }
    }

    private void serve(Link link) {
        try {
            Fault f = mode.get();
            if (f instanceof Fault.Reset) {
                link.reset();
                return;
            }
            if (f instanceof Fault.BlackHole) {
                link.dead = true;
                link.client.getInputStream().transferTo(OutputStream.nullOutputStream());
                return;
            }
            link.connectUpstream(upstream);
            if (http) {
                relayHttp(link);
            } else {
                InputStream upIn = link.upstreamIn();
                OutputStream clientOut = link.clientOut();
                Thread back = Thread.ofVirtual().start(() -> pump(link, upIn, clientOut));
                pump(link, link.clientIn(), link.upstreamOut());
                back.join();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.reset();
        } finally {
            link.close();
            links.remove(link);
        }
    }

    /** Copies one direction of a TCP link, consulting the mode before every chunk. */
    private void pump(Link link, InputStream in, OutputStream out) {
        byte[] buf = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!admit(link)) {
                    continue; // black-holed: read and drop
                }
                out.write(buf, 0, n);
                out.flush();
            }
            link.halfClose(out);
        } catch (IOException e) {
            link.reset();
        }
    }

    /** Applies the current mode to one chunk or request; false when it must be dropped. */
    private boolean admit(Link link) throws IOException {
        if (link.dead) {
            return false;
        }
        Fault f = mode.get();
        switch (f) {
            case Fault.Reset r -> {
                link.reset();
                throw new IOException("reset by fault proxy");
            }
            case Fault.BlackHole b -> {
                link.dead = true;
                return false;
            }
            case Fault.Latency l -> sleep(l.delay());
            case Fault.PassThrough p -> {
            }
        }
        return true;
    }

    private void relayHttp(Link link) throws IOException {
        InputStream upIn = link.upstreamIn();
        while (true) {
            HttpMessage request = HttpMessage.readRequest(link.clientIn());
            if (request == null) {
                return;
            }
            if (!admit(link)) {
                continue;
            }
            Rule rule = rules.stream().filter(r -> r.takes(request)).findFirst().orElse(null);
            if (rule != null) {
                faulted.incrementAndGet();
                link.clientOut().write(rule.answer().toBytes());
                link.clientOut().flush();
                continue;
            }
            forwarded.incrementAndGet();
            String target = request.header("X-Amz-Target");
            if (target != null) {
                forwardedByTarget.computeIfAbsent(target.substring(target.indexOf('.') + 1), k -> new AtomicLong()).incrementAndGet();
            }
            link.upstreamOut().write(request.raw());
            link.upstreamOut().flush();
            HttpMessage response = HttpMessage.readResponse(upIn, request.firstToken(0));
            if (response == null) {
                throw new IOException("upstream closed the connection without answering");
            }
            if (!admit(link)) {
                continue;
            }
            link.clientOut().write(response.raw());
            link.clientOut().flush();
            if ("close".equalsIgnoreCase(response.header("Connection"))) {
                return;
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client connection and, once connected, its upstream connection. */
    private final class Link {
        final Socket client;
        volatile Socket up;
        volatile boolean dead;

        Link(Socket client) {
            this.client = client;
        }

        void connectUpstream(InetSocketAddress address) throws IOException {
            Socket s = new Socket();
            s.connect(address, 5_000);
            s.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            up = s;
        }

        InputStream clientIn() throws IOException {
            return client.getInputStream();
        }

        OutputStream clientOut() throws IOException {
            return client.getOutputStream();
        }

        InputStream upstreamIn() throws IOException {
            return up.getInputStream();
        }

        OutputStream upstreamOut() throws IOException {
            return up.getOutputStream();
        }

        void halfClose(OutputStream out) {
            try {
                if (up != null && out == up.getOutputStream()) {
                    up.shutdownOutput();
                } else {
                    client.shutdownOutput();
                }
            } catch (IOException ignored) {
                // the other side is gone already
            }
        }

        void reset() {
            if (abort(client) | abort(up)) {
                resets.incrementAndGet();
            }
        }

        private boolean abort(Socket s) {
            if (s == null || s.isClosed()) {
                return false;
            }
            try {
                s.setSoLinger(true, 0); // close with RST, not FIN
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
            return true;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(up);
        }

        private static void closeQuietly(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        resetAll();
    }
}
