package dev.longtasks.cli.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.LocalService;
import dev.longtasks.cli.fakes.IamApiFake;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * taskctl authenticates to an HTTP API: SigV4 against an IAM-protected route (a loopback fake that
 * recomputes the signature with the SDK's signer), a bearer token against the real local service.
 */
class ApiAuthTest {
    static final String ID = "3f1c9e0a-2222-4222-8222-222222222222";
    static final String KEY = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    static Map<String, String> awsEnv(String key, String secret, String region) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", key);
        env.put("AWS_SECRET_ACCESS_KEY", secret);
        env.put("AWS_REGION", region);
        return env;
    }

    /** Sends what {@code auth} signed for {@code signedPath}/{@code signedBody} to {@code sentPath} with {@code sentBody}. */
    static int sendTampered(URI base, SigV4Auth auth, String signedPath, String sentPath, String signedBody, String sentBody)
            throws IOException {
        byte[] signed = signedBody == null ? null : signedBody.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = auth.headers(signedBody == null ? "GET" : "POST", URI.create(base + signedPath), signed);
        HttpURLConnection c = (HttpURLConnection) URI.create(base + sentPath).toURL().openConnection();
        c.setRequestMethod(signedBody == null ? "GET" : "POST");
        headers.forEach(c::setRequestProperty);
        if (sentBody != null) {
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(sentBody.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        return status;
    }

    @Nested
    class With_auth_iam {
        @Test
        void a_sigv4_signed_status_from_taskctl_is_accepted_by_the_iam_route() {
            try (IamApiFake api = new IamApiFake("eu-west-1", AwsBasicCredentials.create(KEY, SECRET))) {
                var r = CliRun.run(awsEnv(KEY, SECRET, "eu-west-1"), "", "status", "--api-url", api.url().toString(),
                        "--auth", "iam", ID, "-o", "json");

                assertThat(r.code()).as(r.err()).isZero();
                assertThat(Json.read(r.out()).get("status").asText()).isEqualTo("RUNNING");
                assertThat(api.accepted()).containsExactly("GET /v1/tasks/" + ID + " by " + KEY);
                assertThat(api.refused()).isEmpty();
            }
        }

        @Test
        void session_credentials_sign_with_their_token_and_the_variable_chooses_the_mode() {
            AwsSessionCredentials session = AwsSessionCredentials.create(KEY, SECRET, "FwoGZXIvYXdzEXAMPLETOKEN");
            try (IamApiFake api = new IamApiFake("eu-west-1", session)) {
                Map<String, String> env = awsEnv(KEY, SECRET, "eu-west-1");
                env.put("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLETOKEN");
                env.put("TASKCTL_API_AUTH", "iam");

                var r = CliRun.run(env, "", "status", "--api-url", api.url().toString(), ID);

                assertThat(r.code()).as(r.err()).isZero();
                assertThat(api.accepted()).hasSize(1);
            }
        }

        @Test
        void a_signature_made_with_other_credentials_or_for_another_region_is_refused() {
            try (IamApiFake api = new IamApiFake("eu-west-1", AwsBasicCredentials.create(KEY, SECRET))) {
                var wrongSecret = CliRun.run(awsEnv(KEY, SECRET + "x", "eu-west-1"), "", "status", "--api-url",
                        api.url().toString(), "--auth", "iam", ID);
                var wrongRegion = CliRun.run(awsEnv(KEY, SECRET, "eu-west-1"), "", "status", "--api-url",
                        api.url().toString(), "--auth", "iam", "--region", "us-east-1", ID);

                assertThat(wrongSecret.code()).isEqualTo(ExitCodes.CONFIG);
                assertThat(wrongSecret.err()).startsWith("taskctl: status failed: HTTP 403 — The request signature we calculated "
                        + "does not match").contains("--auth iam");
                assertThat(wrongSecret.err()).doesNotContain(SECRET);
                assertThat(wrongRegion.code()).isEqualTo(ExitCodes.CONFIG);
                assertThat(api.accepted()).isEmpty();
                assertThat(api.refused()).hasSize(2);
            }
        }

        @Test
        void an_unsigned_request_is_refused_with_a_hint_to_sign() {
            try (IamApiFake api = new IamApiFake("eu-west-1", AwsBasicCredentials.create(KEY, SECRET))) {
                var r = CliRun.run(awsEnv(KEY, SECRET, "eu-west-1"), "", "status", "--api-url", api.url().toString(), ID);

                assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
                assertThat(r.err()).contains("HTTP 403 — Missing Authentication Token", "--auth iam");
            }
        }

        @Test
        void a_tampered_request_is_refused_and_the_untampered_one_accepted() throws IOException {
            try (IamApiFake api = new IamApiFake("eu-west-1", AwsBasicCredentials.create(KEY, SECRET))) {
                SigV4Auth auth = new SigV4Auth("eu-west-1", StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)));
                String other = "3f1c9e0a-3333-4333-8333-333333333333";

                assertThat(sendTampered(api.url(), auth, "/v1/tasks/" + ID, "/v1/tasks/" + ID, null, null)).isEqualTo(200);
                assertThat(sendTampered(api.url(), auth, "/v1/tasks/" + ID, "/v1/tasks/" + other, null, null)).isEqualTo(403);
                assertThat(sendTampered(api.url(), auth, "/v1/tasks?status=RUNNING", "/v1/tasks?status=FAILED", null, null))
                        .isEqualTo(403);
                assertThat(sendTampered(api.url(), auth, "/v1/tasks", "/v1/tasks", "{\"type\":\"noop\",\"data\":{}}",
                        "{\"type\":\"noop\",\"data\":{\"x\":1}}")).isEqualTo(403);
                assertThat(api.accepted()).hasSize(1);
                assertThat(api.refused()).hasSize(3).allMatch(s -> s.endsWith("does not match the signature you provided."));
            }
        }

        @Test
        void the_region_comes_from_an_execute_api_url_when_no_flag_names_it() {
            assertThat(SigV4Auth.regionOf(URI.create("https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com")))
                    .isEqualTo("eu-central-1");
            assertThat(SigV4Auth.regionOf(URI.create("https://tasks.example.com"))).isNull();
        }

        @Test
        void a_token_flag_with_auth_iam_or_an_unknown_mode_is_a_usage_error() {
            var both = CliRun.run(awsEnv(KEY, SECRET, "eu-west-1"), "", "status", "--api-url", "http://127.0.0.1:9",
                    "--auth", "iam", "--token", "abcdefabcdefabcdef", ID);
            var unknown = CliRun.run(Map.of(), "", "status", "--api-url", "http://127.0.0.1:9", "--auth", "kerberos", ID);

            assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(both.err()).isEqualTo("taskctl: --auth iam signs each request with AWS credentials; drop --token\n");
            assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).isEqualTo("taskctl: --auth kerberos is not supported; use none, token or iam\n");
        }
    }

    @Nested
    class With_a_bearer_token {
        static final String TOKEN = "cli-test-token-0123456789abcdef";

        @Test
        void the_token_from_the_variable_or_the_flag_opens_a_guarded_api_and_a_wrong_or_missing_one_exits_5() {
            try (LocalService service = new LocalService(Map.of("TASKS_API_TOKEN", TOKEN, "TASKS_API_AUTH_SCOPE", "all"))) {
                var submitted = CliRun.run(Map.of("TASKCTL_API_TOKEN", TOKEN), "", "submit", "--api-url", service.url(),
                        "--type", "noop", "--data", "{}");
                assertThat(submitted.code()).as(submitted.err()).isZero();
                String id = submitted.out().trim();

                var withFlag = CliRun.run(Map.of(), "", "status", "--api-url", service.url(), "--token", TOKEN, id);
                var without = CliRun.run(Map.of(), "", "status", "--api-url", service.url(), id);
                var wrong = CliRun.run(Map.of("TASKCTL_API_TOKEN", TOKEN + "x"), "", "status", "--api-url", service.url(), "-v", id);

                assertThat(withFlag.code()).as(withFlag.err()).isZero();
                assertThat(withFlag.out()).contains(id);
                assertThat(without.code()).isEqualTo(ExitCodes.CONFIG);
                assertThat(without.err()).startsWith("taskctl: status failed: HTTP 401 — this route needs a bearer token");
                assertThat(wrong.code()).isEqualTo(ExitCodes.CONFIG);
                assertThat(wrong.err()).contains("HTTP 401 — the bearer token is not accepted").doesNotContain(TOKEN);
            }
        }

        @Test
        void auth_token_without_a_token_is_a_usage_error() {
            var r = CliRun.run(Map.of(), "", "status", "--api-url", "http://127.0.0.1:9", "--auth", "token", ID);

            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).isEqualTo("taskctl: --auth token needs a token: set TASKCTL_API_TOKEN (or pass --token TOKEN)\n");
        }

        @Test
        void the_auth_of_a_target_never_shows_the_token() {
            assertThat(new RequestAuth.Bearer(TOKEN).toString()).doesNotContain(TOKEN);
        }
    }
}
