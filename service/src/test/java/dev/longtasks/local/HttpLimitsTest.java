package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.config.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local server's limits: reverse-proxy defaults, overrides, and one-line refusals. */
class HttpLimitsTest {
    @Test
    void the_defaults_are_those_of_a_reverse_proxy() {
        HttpLimits limits = HttpLimits.defaults();

        assertThat(limits.maxRequestLineBytes()).isEqualTo(8 * 1024);
        assertThat(limits.maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(limits.maxHeaders()).isEqualTo(100);
        assertThat(limits.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(limits.headerTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(limits.bodyTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void each_limit_comes_from_its_variable() {
        HttpLimits limits = HttpLimits.fromEnv(Map.of("TASKS_HTTP_MAX_REQUEST_LINE_BYTES", "4096",
                "TASKS_HTTP_MAX_HEADER_BYTES", " 32768 ", "TASKS_HTTP_MAX_HEADERS", "50", "TASKS_HTTP_IDLE_TIMEOUT_SECONDS", "75",
                "TASKS_HTTP_HEADER_TIMEOUT_SECONDS", "10", "TASKS_HTTP_BODY_TIMEOUT_SECONDS", "30"));

        assertThat(limits).isEqualTo(new HttpLimits(4096, 32768, 50, Duration.ofSeconds(75), Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
    }

    @Test
    void a_value_that_is_not_a_number_is_refused_by_name() {
        assertThatThrownBy(() -> HttpLimits.fromEnv(Map.of("TASKS_HTTP_IDLE_TIMEOUT_SECONDS", "1m")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("TASKS_HTTP_IDLE_TIMEOUT_SECONDS=1m is not a whole number");
    }

    @Test
    void a_request_line_limit_over_the_head_limit_is_refused() {
        assertThatThrownBy(() -> HttpLimits.fromEnv(Map.of("TASKS_HTTP_MAX_REQUEST_LINE_BYTES", "20000")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("TASKS_HTTP_MAX_REQUEST_LINE_BYTES=20000 is more than TASKS_HTTP_MAX_HEADER_BYTES=16384, "
                        + "which includes the request line; raise that too");
    }
}
