package dev.longtasks.aws;

import dev.longtasks.config.ConfigurationException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds each AWS client once per process (per Lambda container), all on one
 * url-connection-client: it measured the smallest and fastest to initialise.
 *
 * <p>Region comes from {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}); the SDK's own region
 * chain would otherwise probe profile files and the instance metadata service at cold start.
 * Endpoints honour {@code AWS_ENDPOINT_URL_<SERVICE>} then {@code AWS_ENDPOINT_URL}, the SDK's
 * standard variables. The SDK reads them from the process environment by itself; we pass them
 * explicitly too, so that an environment given as a map (tests, {@code taskctl}) behaves the same.
 */
public final class AwsClients implements AutoCloseable {
    /** One attempt of an SDK call; the socket timeout is set to match. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(25);
    static final int DEFAULT_CALL_TIMEOUT_SECONDS = 60;

    private final Map<String, String> env;
    private final Duration callTimeout;
    private final Region region;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private DynamoDbClient dynamoDb;
    private SnsClient sns;
    private SqsClient sqs;
    private SsmClient ssm;

    public AwsClients(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.callTimeout = callTimeout(env);
        this.region = Region.of(regionName(env));
        long start = System.nanoTime();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(25)) // above SQS's 20 s long poll
                .build();
        this.credentials = credentials(env);
        InitTimings.addClientNanos(System.nanoTime() - start);
    }

    /**
     * {@code TASKS_AWS_CALL_TIMEOUT_SECONDS}: the budget of one SDK call, retries included
     * (default 60). The api function sets it low: under sustained throttling the SDK's retries
     * would otherwise outlast its 30 s timeout, and a function killed between the put and the
     * publish leaves a task PENDING that nobody runs.
     */
    static Duration callTimeout(Map<String, String> env) {
        String raw = env.get("TASKS_AWS_CALL_TIMEOUT_SECONDS");
        if (raw == null || raw.isBlank()) {
            return Duration.ofSeconds(DEFAULT_CALL_TIMEOUT_SECONDS);
        }
        try {
            int seconds = Integer.parseInt(raw.trim());
            if (seconds >= 1 && seconds <= 900) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("TASKS_AWS_CALL_TIMEOUT_SECONDS=" + raw + " is not a whole number of seconds from 1 to 900");
    }

    /** The budget of one SDK call, retries included. */
    public Duration callTimeout() {
        return callTimeout;
    }

    public static AwsClients fromEnv() {
        return new AwsClients(System.getenv());
    }

    private static String regionName(Map<String, String> env) {
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        throw new ConfigurationException("AWS_REGION is not set — set it to the stack's region (e.g. AWS_REGION=eu-west-1)");
    }

    /**
     * Keys given in the environment map are used as they are; otherwise the SDK's default chain
     * (which on Lambda with SnapStart reads the container credentials endpoint, refreshed after restore).
     */
    private static AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, token));
    }

    public Region region() {
        return region;
    }

    /** The endpoint override for a service ({@code AWS_ENDPOINT_URL_DYNAMODB}, ...), or null for AWS itself. */
    public URI endpointOverride(String serviceKey) {
        String specific = env.get("AWS_ENDPOINT_URL_" + serviceKey.toUpperCase(Locale.ROOT));
        String general = env.get("AWS_ENDPOINT_URL");
        String v = specific != null && !specific.isBlank() ? specific : general;
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(v.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("AWS endpoint URL '" + v + "' for " + serviceKey
                    + " is not a valid URL (expected e.g. http://127.0.0.1:4566)");
        }
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceKey) {
        long start = System.nanoTime();
        builder.region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(callTimeout.compareTo(ATTEMPT_TIMEOUT) < 0 ? callTimeout : ATTEMPT_TIMEOUT)
                        .apiCallTimeout(callTimeout)
                        .build());
        URI endpoint = endpointOverride(serviceKey);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        C client = builder.build();
        InitTimings.addClientNanos(System.nanoTime() - start);
        return client;
    }

    public synchronized DynamoDbClient dynamoDb() {
        return dynamoDb = once(dynamoDb, () -> build(DynamoDbClient.builder(), "dynamodb"));
    }

    public synchronized SnsClient sns() {
        return sns = once(sns, () -> build(SnsClient.builder(), "sns"));
    }

    public synchronized SqsClient sqs() {
        return sqs = once(sqs, () -> build(SqsClient.builder(), "sqs"));
    }

    public synchronized SsmClient ssm() {
        return ssm = once(ssm, () -> build(SsmClient.builder(), "ssm"));
    }

    private static <T> T once(T existing, Supplier<T> factory) {
        return existing != null ? existing : factory.get();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {dynamoDb, sns, sqs, ssm}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing is best effort at shutdown
                }
            }
        }
        http.close();
    }
}
