package dev.longtasks.api;

import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /v1/tasks} and {@code /v1/tasks/stats}, checked. Every bad
 * parameter is a 400 whose {@code type} names it ({@code invalid-status}, ...) and whose
 * {@code parameter} member says which one, so a script can tell them apart.
 */
final class ListParameters {
    static final Set<String> LIST = Set.of("status", "type", "since", "limit", "cursor");
    static final Set<String> STATS = Set.of("since");
    static final int MAX_TYPE_LENGTH = 128;
    private static final Pattern DURATION = Pattern.compile("(?:\\d{1,9}[smhd])+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,9})([smhd])");
    private static final String SINCE_FORMS = "a duration such as 90s, 15m, 1h or 1h30m, or an ISO-8601 instant "
            + "such as 2025-01-31T12:00:00Z";

    private final HttpRequest request;

    ListParameters(HttpRequest request, Set<String> allowed) {
        this.request = request;
        for (String name : request.query().keySet()) {
            if (!allowed.contains(name)) {
                String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
                throw bad(ProblemType.UNKNOWN_PARAMETER, shown, "unknown query parameter '" + shown + "'; this route takes "
                        + String.join(", ", new TreeSet<>(allowed))).exception();
            }
        }
    }

    static Problem bad(ProblemType type, String parameter, String detail) {
        return Problem.of(type, detail).with("parameter", parameter);
    }

    /** {@code status=RUNNING,FAILED} (names of TaskStatus, any case); repeated parameters add up. Empty = all. */
    Set<TaskStatus> statuses() {
        Set<TaskStatus> out = EnumSet.noneOf(TaskStatus.class);
        for (String item : items("status", ProblemType.INVALID_STATUS)) {
            try {
                out.add(TaskStatus.valueOf(item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad(ProblemType.INVALID_STATUS, "status", "'" + shorten(item) + "' is not a task status; use "
                        + Arrays.toString(TaskStatus.values()).replaceAll("[\\[\\] ]", "")
                        + " (comma-separated for several)").exception();
            }
        }
        return out;
    }

    /** {@code type=example,noop}: task types, any text up to 128 characters without commas. Empty = all. */
    Set<String> types() {
        Set<String> out = new TreeSet<>();
        for (String item : items("type", ProblemType.INVALID_TYPE)) {
            if (item.length() > MAX_TYPE_LENGTH || !item.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw bad(ProblemType.INVALID_TYPE, "type", "'" + shorten(item) + "' is not a task type: use up to "
                        + MAX_TYPE_LENGTH + " visible ASCII characters, comma-separated for several").exception();
            }
            out.add(item);
        }
        return out;
    }

    /** {@code limit=1..500}, default 50. */
    int limit() {
        String raw = single("limit", ProblemType.INVALID_LIMIT);
        if (raw == null) {
            return TaskQuery.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= TaskQuery.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(ProblemType.INVALID_LIMIT, "limit", "'limit' must be a whole number from 1 to " + TaskQuery.MAX_LIMIT
                + ", was '" + shorten(raw) + "'").exception();
    }

    String since() {
        return single("since", ProblemType.INVALID_SINCE);
    }

    String cursor() {
        return single("cursor", ProblemType.INVALID_CURSOR);
    }

    /**
     * The instant {@code since} stands for: {@code now} minus a duration, or an instant. Absent means
     * the whole window; anything older than the window is clamped to its start (nothing older is
     * listed anyway), and an instant in the future is refused.
     */
    static Instant resolveSince(String raw, Instant now, Duration window) {
        Instant start = now.minus(window);
        if (raw == null) {
            return start;
        }
        String s = raw.trim();
        Instant since;
        if (DURATION.matcher(s).matches()) {
            Duration back = duration(s);
            if (back.isZero()) {
                throw bad(ProblemType.INVALID_SINCE, "since", "'since' must reach back more than 0 seconds").exception();
            }
            since = back.compareTo(window) >= 0 ? start : now.minus(back);
        } else if (s.startsWith("P") || s.startsWith("p")) {
            since = isoDuration(s, now, window);
        } else {
            since = instant(s);
            if (since.isAfter(now)) {
                throw bad(ProblemType.INVALID_SINCE, "since", "'since' " + since + " is in the future (now is " + now
                        + "); give a past instant or a duration such as 15m").exception();
            }
        }
        return since.isBefore(start) ? start : since;
    }

    private static Duration duration(String s) {
        Duration d = Duration.ZERO;
        Matcher m = DURATION_PART.matcher(s);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return d;
    }

    private static Instant isoDuration(String s, Instant now, Duration window) {
        try {
            Duration back = Duration.parse(s);
            if (back.isNegative() || back.isZero()) {
                throw bad(ProblemType.INVALID_SINCE, "since", "'since' must reach back more than 0 seconds").exception();
            }
            return back.compareTo(window) >= 0 ? now.minus(window) : now.minus(back);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw badSince(s);
        }
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw badSince(s);
            }
        }
    }

    private static ApiException badSince(String s) {
        return bad(ProblemType.INVALID_SINCE, "since", "'" + shorten(s) + "' is not a valid 'since': use " + SINCE_FORMS).exception();
    }

    /** The comma-separated items of every occurrence of a parameter; an empty item is refused. */
    private List<String> items(String name, ProblemType type) {
        List<String> items = new ArrayList<>();
        for (String value : request.query().getOrDefault(name, List.of())) {
            for (String item : value.split(",", -1)) {
                if (item.isBlank()) {
                    throw bad(type, name, "'" + name + "' has an empty item; give comma-separated values such as "
                            + (name.equals("status") ? "RUNNING,FAILED" : "example,noop")).exception();
                }
                items.add(item.trim());
            }
        }
        return items;
    }

    private String single(String name, ProblemType type) {
        List<String> values = request.query().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw bad(type, name, "'" + name + "' is given " + values.size() + " times; give it once").exception();
        }
        if (values.getFirst().isBlank()) {
            throw bad(type, name, "'" + name + "' is empty; leave it out for the default").exception();
        }
        return values.getFirst();
    }

    static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
