package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.task.TaskCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Listing positions as text: their byte order must be the cursor order, or Redis and DynamoDB pages would skip or repeat. */
class ListingPositionsTest {
    @Test
    void text_order_is_the_cursor_order_reversed_including_ties_within_a_millisecond() {
        Random random = new Random(7);
        Instant base = Instant.parse("2026-11-30T03:00:00Z");
        List<TaskCursor> cursors = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            // Nanosecond offsets straddle digit-count changes (9 -> 10 nanos, 999 ms -> 1 s).
            long nanos = random.nextInt(5) == 0 ? random.nextInt(3) : random.nextLong(2_000_000_000L);
            cursors.add(new TaskCursor(base.plusNanos(nanos), UUID.randomUUID().toString()));
        }
        List<String> texts = new ArrayList<>(cursors.stream().map(ListingPositions::of).toList());
        Collections.sort(texts, Collections.reverseOrder());
        Collections.sort(cursors);

        assertThat(texts.stream().map(ListingPositions::parse).toList()).containsExactlyElementsOf(cursors);
    }

    @Test
    void the_instant_alone_is_an_inclusive_lower_bound() {
        Instant at = Instant.parse("2026-11-30T03:00:00.123456789Z");
        String bound = ListingPositions.instant(at);

        assertThat(ListingPositions.of(at, "00000000-0000-0000-0000-000000000000")).isGreaterThan(bound);
        assertThat(ListingPositions.of(at.minusNanos(1), "ffffffff-ffff-ffff-ffff-ffffffffffff")).isLessThan(bound);
        assertThat(ListingPositions.instant(Instant.EPOCH.minusSeconds(5))).isEqualTo("0".repeat(19));
    }

    @Test
    void a_position_reads_back_as_its_cursor_and_anything_else_is_refused() {
        TaskCursor c = new TaskCursor(Instant.parse("2026-11-30T03:00:00.5Z"), "abc");

        assertThat(ListingPositions.parse(ListingPositions.of(c))).isEqualTo(c);
        assertThatThrownBy(() -> ListingPositions.parse("12#abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
