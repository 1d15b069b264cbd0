package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.testing.CapturedStderr;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The pacing every consumer shares, on a hand-moved clock: its pauses and the log lines it writes. */
class FailureBackoffTest {
    private final AtomicLong now = new AtomicLong();
    private final String what = "polling queue-" + UUID.randomUUID();
    private final FailureBackoff backoff = new FailureBackoff(LoggerFactory.getLogger(FailureBackoffTest.class), what,
            Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(60), now::get);

    @Nested
    class Pauses {
        @Test
        void each_failure_in_a_row_pauses_about_twice_as_long_with_jitter_up_to_the_cap() {
            long full = Duration.ofMillis(250).toNanos();
            for (int n = 1; n <= 12; n++) {
                long expected = Math.min(full, Duration.ofSeconds(30).toNanos());
                for (int sample = 0; sample < 50; sample++) {
                    assertThat(backoff.pauseNanos(n)).as("pause after failure %d", n).isBetween(expected / 2, expected);
                }
                full *= 2;
            }
        }

        @Test
        void a_very_long_run_stays_at_the_cap_without_overflowing() {
            for (int n : new int[] {40, 63, 64, 1_000, Integer.MAX_VALUE}) {
                assertThat(backoff.pauseNanos(n)).isBetween(Duration.ofSeconds(15).toNanos(), Duration.ofSeconds(30).toNanos());
            }
        }

        @Test
        void jitter_spreads_the_pauses_of_consumers_that_failed_together() {
            assertThat(IntStream.range(0, 50).mapToLong(i -> backoff.pauseNanos(8)).distinct().count())
                    .isGreaterThan(1);
        }

        @Test
        void a_success_starts_the_next_run_from_the_shortest_pause() {
            for (int i = 0; i < 10; i++) {
                backoff.failed("down");
            }
            assertThat(backoff.failed("still down")).isGreaterThanOrEqualTo(Duration.ofMillis(15_000));
            backoff.succeeded();
            assertThat(backoff.failed("down again")).isLessThanOrEqualTo(Duration.ofMillis(250));
        }
    }

    @Nested
    class Logging {
        @Test
        void a_run_of_failures_is_one_line_at_once_then_one_line_per_interval_then_one_when_it_ends() {
            try (CapturedStderr log = CapturedStderr.start()) {
                backoff.failed("connection refused (1)");
                for (int i = 2; i <= 37; i++) {
                    now.addAndGet(Duration.ofSeconds(1).toNanos());
                    backoff.failed("connection refused (" + i + ")");
                }
                assertThat(log.lines(what)).containsExactly(log.lines(what, "failed: connection refused (1)").getFirst());

                now.addAndGet(Duration.ofSeconds(24).toNanos()); // 60 s after the first line
                backoff.failed("connection refused (38)");
                assertThat(log.lines(what)).hasSize(2);
                assertThat(log.lines(what).getLast())
                        .endsWith(what + " failed 37 times in the last 60 s: connection refused (38)");

                backoff.succeeded();
                backoff.succeeded();
                assertThat(log.lines(what)).hasSize(3);
                assertThat(log.lines(what).getLast()).endsWith(what + " works again after 38 failures");
            }
        }

        @Test
        void successes_without_failures_log_nothing() {
            try (CapturedStderr log = CapturedStderr.start()) {
                backoff.succeeded();
                backoff.succeeded();
                assertThat(log.lines(what)).isEmpty();
            }
        }
    }
}
