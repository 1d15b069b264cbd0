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
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The one AWS client factory, for the service and {@code taskctl}: each client is built once per
 * process (per Lambda container), all on one url-connection-client, which measured the smallest
 * and fastest to initialise. Close the factory, not the clients it hands out.
 *
 * <p>Everything comes from the environment map, so a map given by a test or by {@code taskctl}
 * (which writes its {@code --region}, {@code --profile} and {@code --endpoint-url} into it)
 * behaves like the process environment:
 * <ul>
 *   <li>region: {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION};</li>
 *   <li>credentials: {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 *       (+ {@code AWS_SESSION_TOKEN}), then the {@code AWS_PROFILE} profile, then the SDK's default
 *       chain (on Lambda with SnapStart: the container credentials, refreshed after restore);</li>
 *   <li>endpoints: {@code AWS_ENDPOINT_URL_<SERVICE>}, then {@code AWS_ENDPOINT_URL}, the SDK's
 *       standard variables.</li>
 * </ul>
 */
public final class AwsClients implements AutoCloseable {
    /** One attempt of an SDK call; the socket timeout is set to match. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(25);
    /** A RequestResponse invoke lasts as long as the function runs: up to the listener's 15 minutes. */
    private static final Duration INVOKE_TIMEOUT = Duration.ofMinutes(16);
    static final int DEFAULT_CALL_TIMEOUT_SECONDS = 60;

    private final Map<String, String> env;
    private final Duration callTimeout;
    private final Region region;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private SdkHttpClient invokeHttp;
    private DynamoDbClient dynamoDb;
    private SnsClient sns;
    private SqsClient sqs;
    private SsmClient ssm;
    private LambdaClient lambda;
    private StsClient sts;
    private CloudFormationClient cloudFormation;

    /** Fails with a {@link ConfigurationException} when the map names no region. */
    public AwsClients(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.callTimeout = callTimeout(env);
        this.region = Region.of(regionName(env));
        long start = System.nanoTime();
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(ATTEMPT_TIMEOUT) // above SQS's 20 s long poll
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
    public static Duration callTimeout(Map<String, String> env) {
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

    /** {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION}; null when neither is set. */
    private static String regionVariable(Map<String, String> env) {
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /*
     * The service reads the region from the environment only, never from the SDK's region chain:
     * at a Lambda cold start the chain would probe profile files and the instance metadata service,
     * and Lambda always sets AWS_REGION, so a missing one is a configuration error to report.
     */
    private static String regionName(Map<String, String> env) {
        String name = regionVariable(env);
        if (name == null) {
            throw new ConfigurationException("AWS_REGION is not set — set it to the stack's region (e.g. AWS_REGION=eu-west-1)");
        }
        return name;
    }

    /**
     * For an operator's machine ({@code taskctl}): the environment's region, else the SDK's chain,
     * which also reads the {@code AWS_PROFILE} profile's {@code region} from {@code ~/.aws/config}.
     */
    public static Region regionOrSdkChain(Map<String, String> env) {
        String name = regionVariable(env);
        if (name != null) {
            return Region.of(name);
        }
        String profile = env.get("AWS_PROFILE");
        try {
            DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
            return (profile == null || profile.isBlank() ? chain : chain.profileName(profile.trim())).build().getRegion();
        } catch (SdkClientException e) {
            throw new ConfigurationException("no AWS region: pass --region or set AWS_REGION", e);
        }
    }

    /**
     * The credentials chain of this factory for an environment map: the access keys in it, else its
     * {@code AWS_PROFILE}, else the SDK's default chain. Public for {@code taskctl --auth iam}, which
     * signs its HTTP requests with the same credentials its AWS clients would use.
     */
    public static AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret)
                    : AwsSessionCredentials.create(id, secret, token));
        }
        String profile = env.get("AWS_PROFILE");
        if (profile != null && !profile.isBlank()) {
            return ProfileCredentialsProvider.create(profile.trim());
        }
        return DefaultCredentialsProvider.builder().build();
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

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, String serviceKey, SdkHttpClient httpClient, Duration attemptTimeout, Duration callBudget) {
        long start = System.nanoTime();
        builder.region(region).credentialsProvider(credentials).httpClient(httpClient)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(callBudget)
                        .addExecutionInterceptor(PrimingCalls.INTERCEPTOR)
                        .build());
        URI endpoint = endpointOverride(serviceKey);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        C client = builder.build();
        InitTimings.addClientNanos(System.nanoTime() - start);
        return client;
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceKey) {
        Duration attempt = callTimeout.compareTo(ATTEMPT_TIMEOUT) < 0 ? callTimeout : ATTEMPT_TIMEOUT;
        return build(builder, serviceKey, http, attempt, callTimeout);
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

    public synchronized StsClient sts() {
        return sts = once(sts, () -> build(StsClient.builder(), "sts"));
    }

    /** taskctl only (the stack's outputs); the Lambda jar leaves the CloudFormation SDK out. */
    public synchronized CloudFormationClient cloudFormation() {
        return cloudFormation = once(cloudFormation, () -> build(CloudFormationClient.builder(), "cloudformation"));
    }

    /**
     * Lambda, on an HTTP client of its own: a RequestResponse invoke ({@code taskctl invoke --remote})
     * holds its connection for as long as the function runs, up to 15 minutes, where the shared
     * client's 25 s socket timeout is what lets every other call fail fast on a hung connection.
     */
    public synchronized LambdaClient lambda() {
        if (lambda == null) {
            invokeHttp = UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(3))
                    .socketTimeout(INVOKE_TIMEOUT)
                    .build();
            lambda = build(LambdaClient.builder(), "lambda", invokeHttp, INVOKE_TIMEOUT, INVOKE_TIMEOUT);
        }
        return lambda;
    }

    private static <T> T once(T existing, Supplier<T> factory) {
        return existing != null ? existing : factory.get();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable c : new AutoCloseable[] {dynamoDb, sns, sqs, ssm, sts, cloudFormation, lambda, invokeHttp}) {
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
