package dev.longtasks.aws;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK failures into one readable line. The SDK's own messages run to several lines of
 * retry history and request ids; an operator needs the endpoint, the error code and what failed.
 */
public final class AwsErrors {
    private AwsErrors() {
    }

    /** "https://dynamodb.eu-west-1.amazonaws.com" or the override, for messages. */
    public static String endpointOf(AwsServiceClientConfiguration config, String service) {
        return config.endpointOverride().map(URI::toString)
                .orElseGet(() -> "https://" + service + "." + config.region() + ".amazonaws.com");
    }

    /** A short reason: the AWS error code and HTTP status, or the network failure's root cause. */
    public static String reason(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            var d = ase.awsErrorDetails();
            String msg = d.errorMessage() == null ? "" : ": " + firstLine(d.errorMessage());
            return d.errorCode() + " (HTTP " + ase.statusCode() + ")" + msg;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "cannot connect (" + firstLine(String.valueOf(root.getMessage())) + ")";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (root instanceof SocketTimeoutException) {
            return "timed out (" + firstLine(String.valueOf(root.getMessage())) + ")";
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (m.startsWith("Unable to load credentials")) {
            // The SDK lists every provider of its chain and why each failed: one line says it better.
            return "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                    + "or run `aws sso login`)";
        }
        return firstLine(m);
    }

    public static boolean isThrottling(SdkException e) {
        return e instanceof AwsServiceException ase && (ase.isThrottlingException() || ase.statusCode() >= 500);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // The SDK appends "(Service: X, Status Code: N, Request ID: ...)"; we report those ourselves.
        int paren = line.indexOf(" (Service: ");
        return (paren < 0 ? line : line.substring(0, paren)).trim();
    }
}
