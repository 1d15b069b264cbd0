package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisTaskCodecTest {
    @Nested
    class Timestamps {
        @ParameterizedTest
        @ValueSource(strings = {"2026-11-26T18:20:50Z", "2026-11-26T18:20:50.100Z", "2026-11-26T18:20:50.123456Z",
                "2026-11-26T18:20:50.123456789Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z",
                "+12026-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z"})
        void every_instant_text_reads_back_as_the_instant_it_came_from(String text) {
            assertThat(RedisTaskCodec.instant(text)).isEqualTo(Instant.parse(text));
        }

        @Test
        void what_instant_writes_reads_back_unchanged() {
            Instant now = Instant.now();
            assertThat(RedisTaskCodec.instant(now.toString())).isEqualTo(now);
        }
    }
}
