package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.task.Reconciler;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.CountingHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * What one reconciler pass costs in DynamoDB reads, counted at the wire (the fault proxy in front
 * of dynalite), at 0 open tasks, at 1,000 open tasks that are not due (the steady state: tasks
 * queued or running normally) and at 1,000 due ones (every one of them stranded). On AWS the pass
 * runs once a minute, so these are the reads per minute BENCHMARKS.md prices. The read capacity is
 * measured by re-issuing the same requests with {@code ReturnConsumedCapacity=TOTAL} (the store's
 * own requests do not ask for it). Figures go to {@code target/reconciler-cost/dynamodb-reads.json}.
 */
class DynamoDbReconcilerReadsTest {
    static final int SHARDS = 16; // TaskItems.SHARDS
    static final List<String> READS = List.of("Query", "GetItem", "BatchGetItem", "Scan");

    record Cost(Map<String, Long> requests, double readCapacityUnits, int due) {
        long total() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }

        String json() {
            StringBuilder b = new StringBuilder("{\"requests\":{");
            requests.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append('"').append(k).append("\":").append(v));
            return b.append("},\"read_requests\":").append(total()).append(",\"read_capacity_units\":")
                    .append(readCapacityUnits).append(",\"due\":").append(due).append('}').toString();
        }
    }

    @Test
    void a_pass_reads_one_page_per_shard_and_one_item_per_due_task_whatever_the_number_of_open_tasks() throws Exception {
        try (AwsRig rig = new AwsRig(CountingHandler.instant())) {
            Reconciler reconciler = new Reconciler(rig.store, rig.published::add, ReconcilerSettings.DEFAULTS, 3, rig.clock, "test");

            Cost empty = pass(rig, reconciler);

            List<TaskService.Submission> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(new TaskService.Submission(CountingHandler.TYPE, "{\"i\":" + i + "}"));
            }
            List<SubmitOutcome> outcomes = rig.service.submitAll(batch);
            assertThat(outcomes).hasSize(1000).allSatisfy(o -> assertThat(o).isInstanceOf(SubmitOutcome.Stored.class));
            Cost notDue = pass(rig, reconciler);

            rig.clock.advance(ReconcilerSettings.DEFAULTS.dispatchGrace()); // every one of them is now overdue
            Cost allDue = pass(rig, reconciler);

            assertThat(empty.requests()).containsEntry("Query", (long) SHARDS).containsEntry("GetItem", 0L)
                    .containsEntry("Scan", 0L).containsEntry("BatchGetItem", 0L);
            assertThat(notDue.requests()).as("1,000 open tasks not yet due cost what none do").isEqualTo(empty.requests());
            assertThat(notDue.due()).isZero();
            int batchLimit = ReconcilerSettings.DEFAULTS.batch();
            assertThat(allDue.due()).isEqualTo(batchLimit);
            assertThat(allDue.requests()).containsEntry("Query", (long) SHARDS).containsEntry("GetItem", (long) batchLimit)
                    .containsEntry("Scan", 0L);

            Path out = Path.of("target", "reconciler-cost", "dynamodb-reads.json");
            String json = "{\"shards\":" + SHARDS + ",\"batch\":" + batchLimit + ",\"open_0\":" + empty.json()
                    + ",\"open_1000_not_due\":" + notDue.json() + ",\"open_1000_due\":" + allDue.json() + "}";
            try {
                Files.createDirectories(out.getParent());
                Files.writeString(out, json + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("reconciler pass, DynamoDB reads: " + json);
        }
    }

    /** Runs one pass and counts the read requests that reached DynamoDB, and their read capacity. */
    private static Cost pass(AwsRig rig, Reconciler reconciler) {
        java.time.Instant now = rig.clock.instant();
        // Measured before the pass acts (the same reads it is about to make), and not counted below:
        // the rig's client reaches dynalite through the proxy too.
        double rcu = capacity(rig, now);
        Map<String, Long> before = counts(rig);
        Reconciler.Pass pass = reconciler.runOnce();
        Map<String, Long> after = counts(rig);
        Map<String, Long> diff = new LinkedHashMap<>();
        READS.forEach(op -> diff.put(op, after.get(op) - before.get(op)));
        return new Cost(diff, rcu, pass.due());
    }

    private static Map<String, Long> counts(AwsRig rig) {
        Map<String, Long> m = new LinkedHashMap<>();
        READS.forEach(op -> m.put(op, rig.proxy.requestsForwarded(op)));
        return m;
    }

    /**
     * The read capacity of the pass's reads, re-issued around the proxy with
     * ReturnConsumedCapacity=TOTAL: the 16 shard queries of the open-due index (keys only), then a
     * consistent GetItem of each due task up to the batch.
     */
    private static double capacity(AwsRig rig, java.time.Instant dueBy) {
        var dynamo = rig.dynamo;
        double total = 0;
        List<String> due = new ArrayList<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            String name = "open#" + shard;
            var r = dynamo.query(q -> q.tableName(rig.table).indexName("open-due")
                    .keyConditionExpression("#shard = :shard AND #due <= :by")
                    .expressionAttributeNames(Map.of("#shard", "open_shard", "#due", "due_at"))
                    .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(name),
                            ":by", AttributeValue.fromN(Long.toString(dueBy.toEpochMilli()))))
                    .limit(ReconcilerSettings.DEFAULTS.batch()).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            total += r.consumedCapacity() == null ? 0 : r.consumedCapacity().capacityUnits();
            r.items().forEach(item -> due.add(item.get("task_id").s()));
        }
        for (String id : due.subList(0, Math.min(due.size(), ReconcilerSettings.DEFAULTS.batch()))) {
            var r = dynamo.getItem(g -> g.tableName(rig.table).key(Map.of("task_id", AttributeValue.fromS(id)))
                    .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            total += r.consumedCapacity() == null ? 0 : r.consumedCapacity().capacityUnits();
        }
        return total;
    }
}
