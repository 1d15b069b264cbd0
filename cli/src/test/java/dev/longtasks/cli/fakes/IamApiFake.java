package dev.longtasks.cli.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * An HTTP API route behind API Gateway's IAM authorizer, on loopback: it recomputes each request's
 * SigV4 signature with the SDK's signer from the credentials it trusts (at the request's own
 * {@code X-Amz-Date}, over the headers the request says it signed) and answers as API Gateway
 * does, 403 with a {@code message}, unless the two match exactly. A request that passes gets a
 * task view for {@code GET /v1/tasks/{id}}.
 */
public final class IamApiFake extends LoopbackServer {
    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/,]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    private final String region;
    private final AwsCredentials trusted;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    /** "METHOD /path?query by ACCESS_KEY" for each request that passed. */
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public IamApiFake(String region, AwsCredentials trusted) {
        this.region = region;
        this.trusted = trusted;
    }

    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    public List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    protected void handle(HttpExchange ex, String body) throws IOException {
        String problem = verify(ex, body.getBytes(StandardCharsets.UTF_8));
        String target = ex.getRequestMethod() + " " + ex.getRequestURI();
        if (problem != null) {
            refused.add(target + ": " + problem);
            send(ex, 403, "application/json", "{\"message\":\"" + problem + "\"}", Map.of());
            return;
        }
        accepted.add(target + " by " + trusted.accessKeyId());
        String path = ex.getRequestURI().getPath();
        if (ex.getRequestMethod().equals("GET") && path.startsWith("/v1/tasks/")) {
            String id = path.substring("/v1/tasks/".length());
            send(ex, 200, "application/json", "{\"task_id\":\"" + id + "\",\"task_type\":\"example\",\"status\":\"RUNNING\","
                    + "\"progress\":{\"percent\":40,\"message\":\"step 2 of 5\"},\"result\":null,\"error\":null,\"attempt\":1,"
                    + "\"cancel_requested\":false,\"created_at\":\"2026-11-26T18:00:00Z\",\"updated_at\":\"2026-11-26T18:00:02Z\","
                    + "\"started_at\":\"2026-11-26T18:00:01Z\",\"finished_at\":null,\"expires_at\":\"2026-11-26T19:00:02Z\"}", Map.of());
        } else {
            send(ex, 404, "application/problem+json", "{\"type\":\"https://longtasks.dev/problems/not-found\","
                    + "\"title\":\"Not found\",\"status\":404,\"detail\":\"no route\"}", Map.of());
        }
    }

    /** Null when the signature is the one the trusted credentials make for this request; else what API Gateway would say. */
    private String verify(HttpExchange ex, byte[] body) {
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        if (authorization == null || amzDate == null) {
            return "Missing Authentication Token";
        }
        Matcher m = AUTH.matcher(authorization);
        if (!m.matches()) {
            return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'";
        }
        if (!m.group(1).equals(trusted.accessKeyId())) {
            return "The security token included in the request is invalid.";
        }
        Instant at;
        try {
            at = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return "X-Amz-Date is not a valid date";
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(ex.getRequestMethod()))
                .uri(URI.create("http://" + host + ex.getRequestURI().getRawPath()
                        + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())));
        for (String name : m.group(5).split(";")) {
            if (!List.of("host", "x-amz-date", "x-amz-security-token").contains(name)) {
                String value = ex.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.putHeader(name, value);
                }
            }
        }
        String expected = signer.sign(r -> r.identity(trusted)
                        .request(request.build())
                        .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElse("");
        return expected.equals(authorization) ? null
                : "The request signature we calculated does not match the signature you provided.";
    }
}
