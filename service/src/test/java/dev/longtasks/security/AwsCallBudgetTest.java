package dev.longtasks.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.config.ConfigurationException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Finding (fixed): every AWS call had a 60 s budget (retries included), and under sustained
 * throttling one DynamoDB call measured ~55 s, longer than the api function's 30 s timeout. A
 * function killed between the put and the publish leaves a PENDING task nobody runs. The api
 * function now gives each call 6 s, so a submit's four calls fit inside its timeout.
 */
class AwsCallBudgetTest {
    static final int SUBMIT_CALLS = 4; // idempotency key, put, publish, fail-pending

    static Map<String, String> env(String budget) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x",
                "AWS_SECRET_ACCESS_KEY", "y", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9"));
        if (budget != null) {
            env.put("TASKS_AWS_CALL_TIMEOUT_SECONDS", budget);
        }
        return env;
    }

    @Test
    void the_api_functions_calls_fit_inside_its_timeout() throws Exception {
        JsonNode api = new YAMLMapper().readTree(Files.readString(ServerlessIamTest.serverlessYml())).at("/functions/api");
        int timeout = api.get("timeout").asInt();
        int budget = api.at("/environment/TASKS_AWS_CALL_TIMEOUT_SECONDS").asInt();
        assertThat(budget).as("TASKS_AWS_CALL_TIMEOUT_SECONDS of the api function").isPositive();
        assertThat(SUBMIT_CALLS * budget).isLessThan(timeout);
    }

    @Test
    void the_budget_reaches_the_sdk_client() {
        try (AwsClients clients = new AwsClients(env("6"))) {
            assertThat(clients.callTimeout()).isEqualTo(Duration.ofSeconds(6));
            assertThat(clients.dynamoDb().serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .contains(Duration.ofSeconds(6));
        }
    }

    @Test
    void without_the_variable_the_budget_stays_60_s() {
        try (AwsClients clients = new AwsClients(env(null))) {
            assertThat(clients.dynamoDb().serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
                    .contains(Duration.ofSeconds(60));
        }
    }

    @Test
    void a_bad_value_fails_at_start_with_a_clear_message() {
        assertThatThrownBy(() -> new AwsClients(env("soon"))).isInstanceOf(ConfigurationException.class)
                .hasMessage("TASKS_AWS_CALL_TIMEOUT_SECONDS=soon is not a whole number of seconds from 1 to 900");
    }
}
