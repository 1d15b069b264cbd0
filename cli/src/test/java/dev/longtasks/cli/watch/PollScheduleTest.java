package dev.longtasks.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    @Nested
    class Polling {
        @Test
        void starts_fast_backs_off_to_the_interval_and_snaps_back_on_a_change() {
            PollSchedule s = new PollSchedule(Duration.ofSeconds(2));
            List<Long> quiet = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                quiet.add(s.next(false).toMillis());
            }
            assertThat(quiet).containsExactly(300L, 450L, 675L, 1012L, 1518L, 2000L, 2000L, 2000L, 2000L, 2000L);
            assertThat(s.next(true)).isEqualTo(Duration.ofMillis(200));
            assertThat(s.next(false)).isEqualTo(Duration.ofMillis(300));
        }

        @Test
        void never_waits_longer_than_a_short_interval() {
            PollSchedule s = new PollSchedule(Duration.ofMillis(100));
            assertThat(s.next(false)).isEqualTo(Duration.ofMillis(100));
            assertThat(s.next(true)).isEqualTo(Duration.ofMillis(100));
        }
    }
}
