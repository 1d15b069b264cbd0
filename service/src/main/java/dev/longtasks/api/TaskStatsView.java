package dev.longtasks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code GET /v1/tasks/stats}: counts of the unexpired tasks created since
 * {@code since}, by status, by type and by type and status (every status present, zeros
 * included), and the oldest PENDING task of any age with how long it has waited.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskStatsView(
        @JsonSetter(nulls = Nulls.FAIL) String since,
        @JsonSetter(nulls = Nulls.FAIL) String asOf,
        long total,
        @JsonSetter(nulls = Nulls.FAIL) Map<TaskStatus, Long> byStatus,
        @JsonSetter(nulls = Nulls.FAIL) Map<String, TypeCounts> byType,
        OldestPending oldestPending) {

    /** One task type's count, in all and per status. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TypeCounts(long total, @JsonSetter(nulls = Nulls.FAIL) Map<TaskStatus, Long> byStatus) {
    }

    /** The PENDING task that has waited longest; {@code age_seconds} counts from its creation to {@code as_of}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OldestPending(@JsonSetter(nulls = Nulls.FAIL) String taskId,
                                @JsonSetter(nulls = Nulls.FAIL) String taskType,
                                @JsonSetter(nulls = Nulls.FAIL) String createdAt,
                                long ageSeconds) {
    }

    public static TaskStatsView of(TaskStats stats, Instant now) {
        Map<String, TypeCounts> byType = new LinkedHashMap<>();
        Map<String, Long> totals = stats.byType();
        stats.countsByType().forEach((type, counts) -> byType.put(type, new TypeCounts(totals.get(type), counts)));
        TaskStats.OldestPending p = stats.oldestPending();
        OldestPending oldest = p == null ? null : new OldestPending(p.taskId(), p.taskType(), p.createdAt().toString(),
                Math.max(0, Duration.between(p.createdAt(), now).toSeconds()));
        return new TaskStatsView(stats.since().toString(), now.toString(), stats.total(), stats.byStatus(), byType, oldest);
    }
}
