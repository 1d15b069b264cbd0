package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.testing.FixedContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The listener records {@code TimedOut} a safety margin before Lambda kills it. That last write is
 * one AWS call, which may take up to {@code TASKS_AWS_CALL_TIMEOUT_SECONDS}: a margin shorter than
 * that lets Lambda kill the function mid-write, and the task runs again from the start only
 * because its end was slow to record.
 */
class ListenerSafetyMarginTest {

    @ParameterizedTest
    @ValueSource(strings = {"6", "10", "60"})
    void the_margin_is_longer_than_the_last_write_may_take(String callTimeoutSeconds) {
        ServiceSettings settings = ServiceSettings.fromEnv(Map.of("TASKS_AWS_CALL_TIMEOUT_SECONDS", callTimeoutSeconds));
        assertThat(settings.runner().safetyMargin()).isGreaterThan(Duration.ofSeconds(Long.parseLong(callTimeoutSeconds)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "60"})
    void the_default_call_timeout_is_covered_too(String unsetOrDefault) {
        Map<String, String> env = unsetOrDefault.isEmpty() ? Map.of() : Map.of("TASKS_AWS_CALL_TIMEOUT_SECONDS", unsetOrDefault);
        assertThat(ServiceSettings.fromEnv(env).runner().safetyMargin()).isGreaterThan(Duration.ofSeconds(60));
        assertThat(ServiceSettings.fromEnv(env).runner().safetyMargin())
                .as("still a small part of the listener's 15 minutes")
                .isLessThan(Duration.ofMillis(FixedContext.standard().remainingMillis()).dividedBy(10));
    }
}
