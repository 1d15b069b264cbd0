package dev.longtasks.cli.aws;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.options.TargetOptions;
import java.net.URI;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds SDK clients for a stage target: region from --region, $AWS_REGION/$AWS_DEFAULT_REGION,
 * then the SDK chain; credentials from --profile, the access-key variables, then the SDK chain;
 * endpoint from $AWS_ENDPOINT_URL_&lt;SERVICE&gt;, then --endpoint-url, then $AWS_ENDPOINT_URL.
 * The variables come from {@link CliEnvironment}, so tests aim the real clients at emulators.
 */
public final class AwsClients {
    private final TargetOptions.Aws target;
    private final CliEnvironment env;
    private Region region;

    public AwsClients(TargetOptions.Aws target, CliEnvironment env) {
        this.target = target;
        this.env = env;
    }

    public TargetOptions.Aws target() {
        return target;
    }

    public Region region() {
        if (region == null) {
            String r = target.region() != null ? target.region()
                    : env.get("AWS_REGION") != null ? env.get("AWS_REGION") : env.get("AWS_DEFAULT_REGION");
            if (r != null) {
                region = Region.of(r);
            } else {
                try {
                    region = (target.profile() == null ? DefaultAwsRegionProviderChain.builder()
                            : DefaultAwsRegionProviderChain.builder().profileName(target.profile())).build().getRegion();
                } catch (SdkClientException e) {
                    throw new CliException(ExitCodes.CONFIG, "no AWS region: pass --region or set AWS_REGION", e);
                }
            }
        }
        return region;
    }

    public AwsCredentialsProvider credentials() {
        if (target.profile() != null) {
            return ProfileCredentialsProvider.create(target.profile());
        }
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && secret != null) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null ? AwsBasicCredentials.create(key, secret)
                    : AwsSessionCredentials.create(key, secret, token));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** The endpoint for one service, or null for the real AWS endpoint. */
    public URI endpoint(String serviceId) {
        String specific = env.get("AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT));
        if (specific != null) {
            return URI.create(specific);
        }
        if (target.endpointUrl() != null) {
            return target.endpointUrl();
        }
        String global = env.get("AWS_ENDPOINT_URL");
        return global == null ? null : URI.create(global);
    }

    private <B extends AwsClientBuilder<B, C>, C> C build(B builder, String serviceId) {
        builder.region(region()).credentialsProvider(credentials());
        URI endpoint = endpoint(serviceId);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    public DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), "dynamodb");
    }

    public SnsClient sns() {
        return build(SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), "sns");
    }

    public SsmClient ssm() {
        return build(SsmClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), "ssm");
    }

    public LambdaClient lambda() {
        // A RequestResponse invoke lasts as long as the function runs: up to the listener's 15 min.
        return build(LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()
                .socketTimeout(java.time.Duration.ofMinutes(16))), "lambda");
    }

    public StsClient sts() {
        return build(StsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()), "sts");
    }
}
