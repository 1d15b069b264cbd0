package dev.longtasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.UnknownTaskTypeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What taskctl says when the service refuses a request, worded in one place: the HTTP API's
 * problem+json answers, and the exceptions TaskService throws on the direct path (a stage's AWS
 * resources, {@code invoke --local}) or that the CLI's own input check raises before sending.
 */
public final class Refusals {
    /** What a refused submit left behind: a batch is refused as a whole. */
    public static final String NOTHING_SUBMITTED = "nothing was submitted";
    /** What a refused {@code invoke --local} left behind. */
    public static final String NOTHING_CREATED = "nothing was created";

    private Refusals() {
    }

    /** The type has no handler; the service's message already lists the known ones. */
    public static String unknownType(UnknownTaskTypeException e) {
        return e.getMessage() + " — pick one with --type";
    }

    /** The handler refused the data: {@code line} counts from 1 in a {@code --jsonl} batch, 0 for a single task. */
    public static String invalidData(String reason, int line) {
        return "invalid task data" + (line > 0 ? " on line " + line : "") + ": " + reason;
    }

    /**
     * TaskService refused a submit ({@link UnknownTaskTypeException} or an invalid input): exit 2,
     * saying what was not written. An unknown type holds for every line, so no line is named.
     */
    public static CliException refused(Exception e, int line, String consequence) {
        String what = e instanceof UnknownTaskTypeException u ? unknownType(u) : invalidData(e.getMessage(), line);
        return new CliException(ExitCodes.USAGE, what + " — " + consequence);
    }

    /**
     * The HTTP API refused {@code operation}: its problem+json {@code detail} (else {@code title}),
     * or the {@code message} API Gateway itself answers with (an IAM or JWT authorizer's refusal),
     * after the status. Input errors exit 2, an unknown task 3, the rest 5.
     */
    public static CliException problem(String operation, int status, String body) {
        String detail = null;
        try {
            JsonNode p = Json.MAPPER.readTree(body);
            if (p != null && p.isObject()) {
                detail = p.hasNonNull("detail") ? p.get("detail").asText()
                        : p.hasNonNull("title") ? p.get("title").asText()
                        : p.hasNonNull("message") ? gatewayRefusal(status, p.get("message").asText()) : null;
            }
        } catch (IOException | RuntimeException ignored) {
            // not problem+json: fall back to the status line
        }
        String msg = operation + " failed: HTTP " + status + (detail == null ? "" : " — " + detail);
        int code = switch (status) {
            case 400, 405, 409, 413, 415, 422 -> ExitCodes.USAGE;
            case 404 -> ExitCodes.NOT_FOUND;
            default -> ExitCodes.CONFIG;
        };
        return new CliException(code, msg);
    }

    /** API Gateway's own 401/403 says little; name the flags that authenticate. */
    private static String gatewayRefusal(int status, String message) {
        return status == 401 || status == 403
                ? message + " (API Gateway refused the credentials: --auth iam signs with AWS credentials, "
                        + "TASKCTL_API_TOKEN sends a token)"
                : message;
    }

    /**
     * The one stderr line of a batch submit that stored some lines and not others: which lines
     * (counted from 1, runs of lines with the same reason joined) and why.
     */
    public static String partlyRefused(List<SubmitOutcome> outcomes) {
        List<String> parts = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            if (!(outcomes.get(i) instanceof SubmitOutcome.Refused r)) {
                continue;
            }
            int first = i;
            while (i + 1 < outcomes.size() && outcomes.get(i + 1) instanceof SubmitOutcome.Refused next
                    && next.reason().equals(r.reason())) {
                i++;
            }
            refused += i - first + 1;
            parts.add((first == i ? "line " + (first + 1) : "lines " + (first + 1) + "-" + (i + 1)) + " (" + r.reason() + ")");
        }
        return refused + " of " + outcomes.size() + " lines were refused and will not run: " + String.join("; ", parts)
                + " — the " + (outcomes.size() - refused) + " ids printed were stored; submit the refused lines again";
    }
}
