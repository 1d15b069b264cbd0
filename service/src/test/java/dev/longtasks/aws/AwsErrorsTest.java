package dev.longtasks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

    @Test
    void missing_credentials_become_one_short_line_instead_of_the_sdk_provider_list() {
        // The real SDK chain, with one provider that has nothing: the SDK's own message lists every
        // provider and why it failed.
        AwsCredentialsProviderChain chain = AwsCredentialsProviderChain.of(() -> {
            throw SdkClientException.create("Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID)");
        });
        SdkClientException e = catchThrowableOfType(SdkClientException.class, chain::resolveCredentials);
        assertThat(e.getMessage()).startsWith("Unable to load credentials");

        assertThat(AwsErrors.reason(e))
                .isEqualTo("no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                        + "or run `aws sso login`)")
                .doesNotContain("\n");
    }

    @Test
    void a_refused_connection_names_the_cause_in_one_line() {
        SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused")).build();

        assertThat(AwsErrors.reason(e)).isEqualTo("cannot connect (Connection refused)");
    }
}
