package dev.longtasks.cli.dlq;

import dev.longtasks.task.TaskEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the failure queue says about one task: all its invocation records taken together (an event
 * published twice, or redriven and failed again, leaves one record each time). A record that names
 * no task (not an invocation record, or an SNS message that is no task event) is an entry of its
 * own with a null task id.
 *
 * @param attempts the listener's attempts summed over the records
 * @param firstFailure when the first of the records was written
 * @param lastFailure when the latest was written; its condition and error are the ones shown
 */
public record FailedTask(String taskId, String taskType, int attempts, Instant firstFailure, Instant lastFailure,
                         String condition, String errorType, String errorMessage, List<InvocationRecord> records) {

    public static List<FailedTask> group(List<InvocationRecord> records) {
        Map<String, List<InvocationRecord>> byTask = new LinkedHashMap<>();
        List<FailedTask> unknown = new ArrayList<>();
        for (InvocationRecord r : records) {
            if (r.events().isEmpty()) {
                unknown.add(of(null, null, List.of(r)));
            }
            for (TaskEvent e : r.events()) {
                byTask.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(r);
            }
        }
        List<FailedTask> out = new ArrayList<>();
        byTask.forEach((id, rs) -> out.add(of(id, rs.getFirst().events().stream()
                .filter(e -> id.equals(e.taskId())).findFirst().map(TaskEvent::taskType).orElse(null), rs)));
        out.sort(Comparator.comparing(FailedTask::firstFailure, Comparator.nullsLast(Comparator.naturalOrder())));
        out.addAll(unknown);
        return out;
    }

    private static FailedTask of(String taskId, String taskType, List<InvocationRecord> rs) {
        List<InvocationRecord> sorted = new ArrayList<>(rs);
        sorted.sort(Comparator.comparing(InvocationRecord::timestamp, Comparator.nullsFirst(Comparator.naturalOrder())));
        InvocationRecord last = sorted.getLast();
        return new FailedTask(taskId, taskType, sorted.stream().mapToInt(InvocationRecord::attempts).sum(),
                sorted.getFirst().timestamp(), last.timestamp(), last.condition(), last.errorType(), last.errorMessage(),
                List.copyOf(sorted));
    }

    /** The SQS messages of this entry. */
    public List<FailureQueue.Message> messages() {
        return records.stream().map(InvocationRecord::message).distinct().toList();
    }

    /** "TaskStoreException: DynamoDB table ... not found", or the message alone. */
    public String error() {
        String type = errorType == null ? null : errorType.substring(errorType.lastIndexOf('.') + 1);
        String message = errorMessage == null ? "" : errorMessage;
        return type == null ? message : message.isEmpty() ? type : type + ": " + message;
    }
}
