package dev.longtasks.api;

import dev.longtasks.task.TaskCursor;
import dev.longtasks.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;

/**
 * The opaque {@code cursor} of {@code GET /v1/tasks}: base64url of the position the page ended
 * at, the {@code since} instant the first page resolved (so a relative {@code since=15m} does not
 * move between pages), and a digest of the filters. A cursor used with other filters, or one this
 * API did not make, is a 400. It is not a secret and not signed: a forged cursor can only start a
 * listing the caller may read anyway at another position.
 */
record ListCursor(TaskCursor position, Instant since, String filters) {
    private static final String VERSION = "v1";
    static final int MAX_LENGTH = 512;
    private static final String SECONDS = "-?[0-9]{1,12}";
    private static final String NANOS = "[0-9]{1,9}";

    /** A digest of what must stay the same from page to page: the statuses, the types and {@code since} as given. */
    static String filters(Set<TaskStatus> statuses, Set<String> types, String since) {
        Set<String> s = new TreeSet<>();
        statuses.forEach(x -> s.add(x.name()));
        String text = "status=" + String.join(",", s) + "\ntype=" + String.join(",", new TreeSet<>(types))
                + "\nsince=" + (since == null ? "" : since.trim());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    String encode() {
        String text = String.join(":", VERSION, Long.toString(position.createdAt().getEpochSecond()),
                Integer.toString(position.createdAt().getNano()), position.taskId(),
                Long.toString(since.getEpochSecond()), Integer.toString(since.getNano()), filters);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, checked against the filters of this request. */
    static ListCursor decode(String raw, String expectedFilters) {
        ListCursor c = parse(raw.trim());
        if (c == null) {
            throw ListParameters.bad(ProblemType.INVALID_CURSOR, "cursor", "'cursor' is not one this API made; pass "
                    + "next_cursor from the previous page unchanged, or leave it out to start from the newest task").exception();
        }
        if (!c.filters().equals(expectedFilters)) {
            throw ListParameters.bad(ProblemType.INVALID_CURSOR, "cursor", "this cursor belongs to a listing with other "
                    + "filters; repeat the status, type and since of its first page, or leave the cursor out to start over").exception();
        }
        return c;
    }

    private static ListCursor parse(String raw) {
        if (raw.length() > MAX_LENGTH) {
            return null;
        }
        try {
            String[] f = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8).split(":", -1);
            if (f.length != 7 || !f[0].equals(VERSION) || !f[1].matches(SECONDS) || !f[2].matches(NANOS)
                    || !TaskRoutes.isUuid(f[3]) || !f[4].matches(SECONDS) || !f[5].matches(NANOS) || !f[6].matches("[0-9a-f]{16}")) {
                return null;
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(f[1]), Integer.parseInt(f[2]));
            Instant since = Instant.ofEpochSecond(Long.parseLong(f[4]), Integer.parseInt(f[5]));
            return new ListCursor(new TaskCursor(at, f[3]), since, f[6]);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            return null; // bad base64 (IllegalArgumentException), numbers out of range
        }
    }
}
