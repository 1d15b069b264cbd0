package dev.longtasks.cli.backend;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.config.ConfigurationException;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs requests to an IAM-protected API Gateway with AWS Signature Version 4 (service
 * {@code execute-api}), by the SDK's own signer, with the credentials chain of the service's
 * {@link AwsClients}. Only the host is signed besides what the signer adds (the date, the session
 * token): the other headers {@link java.net.HttpURLConnection} may rewrite on the way out.
 */
public final class SigV4Auth implements RequestAuth {
    public static final String SERVICE = "execute-api";
    /** {@code <api-id>.execute-api.<region>.amazonaws.com}: the region an API Gateway URL names. */
    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[a-z0-9]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

    private final String region;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public SigV4Auth(String region, AwsCredentialsProvider credentials) {
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * The region: {@code --region}, else the one in an API Gateway URL, else {@code AWS_REGION} or
     * the profile's. The credentials: {@code --profile} (which beats access keys in the
     * environment, as with the aws CLI), else the environment's, else the SDK's default chain.
     */
    static SigV4Auth forTarget(URI base, TargetOptions.Auth.Iam iam, CliEnvironment env) {
        Map<String, String> m = new HashMap<>(env.env());
        if (iam.profile() != null) {
            m.put("AWS_PROFILE", iam.profile());
            m.keySet().removeAll(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"));
        }
        String region = iam.region() != null ? iam.region() : regionOf(base);
        if (region == null) {
            try {
                region = AwsClients.regionOrSdkChain(m).id();
            } catch (ConfigurationException e) {
                throw new CliException(ExitCodes.CONFIG, "--auth iam needs the API's region: pass --region or set AWS_REGION", e);
            }
        }
        return new SigV4Auth(region, AwsClients.credentials(m));
    }

    /** The region of an {@code execute-api} URL, or null for any other host (a custom domain). */
    static String regionOf(URI url) {
        Matcher m = EXECUTE_API_HOST.matcher(url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(1) : null;
    }

    public String region() {
        return region;
    }

    @Override
    public Map<String, String> headers(String method, URI uri, byte[] body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri).build();
        SignedRequest signed;
        try {
            signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                    .request(request)
                    .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (SdkClientException e) {
            throw new CliException(ExitCodes.CONFIG, "--auth iam found no AWS credentials to sign with: "
                    + e.getMessage() + " — set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            // The connection sends Host itself, from the same URL the signature covers.
            if (!name.equalsIgnoreCase("Host") && !values.isEmpty()) {
                out.put(name, values.getFirst());
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "SigV4[" + SERVICE + " " + region + "]";
    }
}
