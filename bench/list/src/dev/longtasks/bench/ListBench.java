package dev.longtasks.bench;

import dev.longtasks.api.TaskLists;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.json.Json;
import dev.longtasks.store.DynamoDbTaskStore;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.LocalServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import redis.clients.jedis.RedisClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The list API's latency at N tasks on each store: the list and stats routes' own code (TaskLists,
 * what GET /v1/tasks and /v1/tasks/stats run, JSON included; no HTTP transport) over a store seeded
 * with N tasks in mixed states over the last 50 minutes. Then what the listing index costs per task.
 * Usage: ListBench <tasks> <rounds> <stores...>   (stores: memory redis dynamodb)
 */
public final class ListBench {
    private static final Duration TTL = Duration.ofHours(1);
    private static final String[] TYPES = {"example", "noop", "http-check"};
    private static final TaskStatus[] MIX = {TaskStatus.SUCCEEDED, TaskStatus.SUCCEEDED, TaskStatus.SUCCEEDED,
            TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.RUNNING, TaskStatus.PENDING, TaskStatus.SUCCEEDED};

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        for (String name : Arrays.copyOfRange(args, 2, args.length)) {
            try (Opened s = open(name)) {
                long t0 = System.nanoTime();
                seed(s.store, n);
                System.out.printf("%s: seeded %,d tasks in %.1f s%n", label(name), n, (System.nanoTime() - t0) / 1e9);
                TaskLists lists = new TaskLists((TaskListing) s.store, name, TTL, Clock.systemUTC());
                measure(name, rounds, "first page, limit 50", () -> Json.write(lists.list(Map.of("limit", List.of("50")))));
                measure(name, rounds, "filtered page (status=FAILED, type=noop, limit 50)", () -> Json.write(lists.list(
                        Map.of("status", List.of("FAILED"), "type", List.of("noop"), "limit", List.of("50")))));
                measure(name, rounds, "stats (whole window)", () -> Json.write(lists.stats(Map.of())));
                s.cost();
            }
        }
    }

    private static String label(String name) {
        return name.equals("dynamodb") ? "dynamodb (dynalite, a Node stand-in: not DynamoDB's latency)" : name;
    }

    private static void measure(String store, int rounds, String what, Supplier<String> call) {
        int warm = Math.max(3, rounds / 5);
        for (int i = 0; i < warm; i++) {
            call.get();
        }
        double[] ms = new double[rounds];
        int bytes = 0;
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            bytes = call.get().length();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("RESULT %-8s %-52s median %8.2f ms  p90 %8.2f ms  (%d rounds, %,d bytes)%n", store, what,
                ms[rounds / 2], ms[(int) Math.min(rounds - 1, Math.ceil(rounds * 0.9) - 1)], rounds, bytes);
    }

    /** N tasks, newest now, spread over 50 minutes, in a fixed mix of states and types, written in batches. */
    private static void seed(TaskStore store, int n) {
        Instant now = Instant.now();
        List<Task> batch = new ArrayList<>(500);
        for (int i = 0; i < n; i++) {
            Instant created = now.minusMillis((long) i * 3_000_000L / n);
            TaskStatus s = MIX[i % MIX.length];
            String type = TYPES[i % TYPES.length];
            Instant started = s == TaskStatus.PENDING || s == TaskStatus.CANCELLED ? null : created.plusMillis(5);
            Instant finished = s.isTerminal() ? created.plusMillis(900) : null;
            Instant updated = finished != null ? finished : started != null ? started : created;
            batch.add(new Task(UUID.randomUUID().toString(), type, s, "{\"steps\":3}",
                    s == TaskStatus.SUCCEEDED ? "{\"ok\":true}" : null,
                    s == TaskStatus.FAILED ? new TaskError("Boom", "failed on purpose") : null,
                    s == TaskStatus.RUNNING ? new Progress(40, "step 2 of 5") : s == TaskStatus.SUCCEEDED ? new Progress(100, "done") : null,
                    started == null ? 0 : 1, s == TaskStatus.RUNNING ? now.plusSeconds(600).toEpochMilli() : 0, false,
                    created, updated, started, finished, updated.getEpochSecond() + TTL.toSeconds() + (s.isTerminal() ? 0 : 3600),
                    0L, 0, true));
            if (batch.size() == 500) {
                store.createAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.createAll(batch);
        }
    }

    private abstract static class Opened implements AutoCloseable {
        final TaskStore store;

        Opened(TaskStore store) {
            this.store = store;
        }

        abstract void cost();

        @Override
        public void close() {
            store.close();
        }
    }

    private static Opened open(String name) {
        return switch (name) {
            case "memory" -> new Opened(MemoryTaskStore.builder().ttl(TTL).build()) {
                @Override
                void cost() {
                    System.out.println("COST memory: the index is a skip-list set of (created_at, task_id) positions; no write but the create touches it");
                }
            };
            case "redis" -> redis();
            case "dynamodb" -> dynamo();
            default -> throw new IllegalArgumentException("unknown store " + name + " (memory, redis, dynamodb)");
        };
    }

    private static Opened redis() {
        LocalServices.requireRedis();
        String prefix = "longtasks-bench-list-" + UUID.randomUUID() + ":";
        RedisTaskStore store = RedisTaskStore.builder().url(LocalServices.redisUrl()).keyPrefix(prefix).ttl(TTL).build();
        return new Opened(store) {
            @Override
            void cost() {
                try (RedisClient r = RedisClient.create(LocalServices.redisUrl())) {
                    long members = r.zcard(prefix + "created");
                    Long bytes = r.memoryUsage(prefix + "created", 0);
                    System.out.printf("COST redis: index %s%s holds %,d positions in %,d bytes: %.0f bytes per task; "
                            + "writes: ZADD + a bounded ZRANGEBYLEX trim inside the create script (no extra round trip), "
                            + "none on claim, progress or finish%n", prefix, "created", members, bytes, (double) bytes / members);
                }
            }

            @Override
            public void close() {
                super.close();
                try (RedisClient r = RedisClient.create(LocalServices.redisUrl())) {
                    for (String k : r.keys(prefix + "*")) {
                        r.del(k);
                    }
                }
            }
        };
    }

    private static Opened dynamo() {
        AwsClients clients = AwsTestEnv.clients();
        String table = AwsTestEnv.createTable(clients.dynamoDb());
        DynamoDbTaskStore ddb = DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).ttl(TTL).build();
        return new Opened(ddb) {
            @Override
            void cost() {
                lifecycleCost(clients, table, ddb);
            }

            @Override
            public void close() {
                clients.dynamoDb().deleteTable(r -> r.tableName(table));
                clients.close();
            }
        };
    }

    /**
     * GSI writes per step of one task's life, by DynamoDB's rule: a write updates a GSI when it
     * changes the index's key attributes or a projected attribute (dynalite does not report index
     * capacity, so the item is read after each step and the rule applied to what changed). Each
     * index entry here is well under 1 KB, so one index write is one write unit.
     */
    private static void lifecycleCost(AwsClients clients, String table, DynamoDbTaskStore store) {
        Set<String> recent = Set.of("recent_bucket", "recent_at", "status", "task_type");
        Set<String> open = Set.of("open_shard", "due_at");
        String id = UUID.randomUUID().toString();
        Map<String, Supplier<Object>> steps = new LinkedHashMap<>();
        steps.put("create", () -> {
            store.create(Task.pending(id, "example", "{}", Instant.now(), TTL.toSeconds()).withDueAt(Instant.now().plusSeconds(30).toEpochMilli()));
            return null;
        });
        steps.put("claim", () -> store.claim(id, 30_000));
        steps.put("progress", () -> store.progress(id, 1, new Progress(50, "half"), 30_000));
        steps.put("progress (lease only)", () -> store.progress(id, 1, null, 30_000));
        steps.put("finish", () -> store.finish(id, 1, TaskStatus.SUCCEEDED, "{}", null));
        steps.put("completion sent", () -> store.markCompletionSent(id));
        Map<String, AttributeValue> before = Map.of();
        int recentTotal = 0;
        int openTotal = 0;
        StringBuilder line = new StringBuilder();
        for (var step : steps.entrySet()) {
            step.getValue().get();
            Map<String, AttributeValue> after = clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                    .key(Map.of("task_id", AttributeValue.fromS(id)))).item();
            int r = writes(before, after, recent, "recent_bucket");
            int o = writes(before, after, open, "open_shard");
            recentTotal += r;
            openTotal += o;
            line.append(String.format("%s %d/%d, ", step.getKey(), r, o));
            before = after;
        }
        System.out.printf("COST dynamodb GSI writes per step (recent/open-due): %stotal recent %d, open-due %d "
                + "(every further heartbeat: 0 recent); the TTL delete at the end removes the entries%n", line, recentTotal, openTotal);
    }

    /** 1 when the item is in the index before or after and a key or projected attribute differs (0 when in neither). */
    private static int writes(Map<String, AttributeValue> before, Map<String, AttributeValue> after, Set<String> attrs, String hashKey) {
        if (!before.containsKey(hashKey) && !after.containsKey(hashKey)) {
            return 0;
        }
        for (String a : attrs) {
            if (!java.util.Objects.equals(before.get(a), after.get(a))) {
                return 1;
            }
        }
        return 0;
    }
}
