package dev.longtasks.handlers;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * One GET of an {@code http-check}. A failed probe (refused, timed out, DNS) is a result, not an
 * exception: the check reports it and goes on with the next probe.
 */
final class HttpProbe {
    static final String USER_AGENT = "long-running-tasks-http-check";

    private final HttpClient client;
    private final HttpCheckRequest check;
    private final boolean allowLoopback;

    HttpProbe(HttpClient client, HttpCheckRequest check, boolean allowLoopback) {
        this.client = client;
        this.check = check;
        this.allowLoopback = allowLoopback;
    }

    /** The outcome of probe number {@code n}: a status and latency, or an error. */
    record Result(int n, Integer status, Long latencyMs, String error, boolean healthy) {
        static Result answered(int n, int status, long latencyMs, boolean healthy) {
            return new Result(n, status, latencyMs, null, healthy);
        }

        static Result failed(int n, String error) {
            return new Result(n, null, null, error, false);
        }
    }

    Result run(int n) throws InterruptedException {
        String refused = refusedAddress();
        if (refused != null) {
            return Result.failed(n, refused);
        }
        HttpRequest request = HttpRequest.newBuilder(check.url())
                .GET()
                .timeout(check.timeout())
                .header("User-Agent", USER_AGENT)
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            // Latency is time to the response headers; the body may be large or endless, so it is not read.
            response.body().close();
            return Result.answered(n, response.statusCode(), latencyMs, check.isHealthy(response.statusCode()));
        } catch (HttpConnectTimeoutException e) {
            return Result.failed(n, "connect timed out after " + check.timeout().toMillis() + " ms");
        } catch (HttpTimeoutException e) {
            return Result.failed(n, "no response within " + check.timeout().toMillis() + " ms");
        } catch (ConnectException e) {
            return Result.failed(n, "connection refused or unreachable: " + check.url().getHost()
                    + (check.url().getPort() > 0 ? ":" + check.url().getPort() : ""));
        } catch (IOException e) {
            return Result.failed(n, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /**
     * Resolves the host the way the client will and refuses addresses an anonymous submitter must not
     * reach: link-local (cloud metadata) always, loopback where it is not the operator's own machine.
     */
    private String refusedAddress() {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(check.url().getHost());
        } catch (UnknownHostException e) {
            return "unknown host: " + check.url().getHost();
        }
        for (InetAddress a : addresses) {
            if (a.isLinkLocalAddress()) {
                return "refused: " + check.url().getHost() + " resolves to link-local address " + a.getHostAddress();
            }
            if (!allowLoopback && (a.isLoopbackAddress() || a.isAnyLocalAddress())) {
                return "refused: " + check.url().getHost() + " resolves to loopback address " + a.getHostAddress()
                        + " (not allowed in this deployment)";
            }
        }
        return null;
    }
}
