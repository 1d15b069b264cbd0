package dev.longtasks.store;

import dev.longtasks.task.TaskCursor;
import java.time.Instant;

/**
 * A listing position as text that sorts like {@link TaskCursor#NEWEST_FIRST} reversed: the
 * creation instant in epoch nanoseconds, zero-padded to 19 digits, a separator, then the task id.
 * Byte order of these strings is {@code (created_at, task_id)} order, so a Redis sorted set read
 * by lex range and a DynamoDB string sort key both walk it without a second sort, and ties within
 * a millisecond (or a nanosecond) are still broken by the task id, as the cursor requires.
 */
final class ListingPositions {
    static final char SEPARATOR = '#';
    private static final int DIGITS = 19;

    private ListingPositions() {
    }

    /** The position of a task created at {@code createdAt} with id {@code taskId}. */
    static String of(Instant createdAt, String taskId) {
        return instant(createdAt) + SEPARATOR + taskId;
    }

    static String of(TaskCursor cursor) {
        return of(cursor.createdAt(), cursor.taskId());
    }

    /**
     * The instant part alone: every position created at or after {@code at} sorts after it (it is a
     * proper prefix of those created exactly at {@code at}), so it is an inclusive lower bound.
     */
    static String instant(Instant at) {
        long nanos;
        try {
            nanos = Math.max(0L, Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano()));
        } catch (ArithmeticException e) {
            nanos = at.getEpochSecond() < 0 ? 0L : Long.MAX_VALUE;
        }
        String digits = Long.toString(nanos);
        return "0".repeat(DIGITS - digits.length()) + digits;
    }

    /** The cursor a position stands for. */
    static TaskCursor parse(String position) {
        int sep = position.indexOf(SEPARATOR);
        if (sep != DIGITS) {
            throw new IllegalArgumentException("not a listing position: " + position);
        }
        long nanos = Long.parseLong(position.substring(0, sep));
        return new TaskCursor(Instant.ofEpochSecond(0, nanos), position.substring(sep + 1));
    }
}
