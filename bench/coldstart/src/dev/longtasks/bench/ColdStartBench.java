package dev.longtasks.bench;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.SsmFake;
import dev.longtasks.testing.StandIns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts dynalite + fauxqs + the SSM fake once, then runs ColdStartProbe in N fresh JVMs for each
 * variant and prints medians. The environment is a deployed api function's: the table and topic
 * in TASKS_TABLE / TASKS_TOPIC_ARN (serverless.yml puts them there), the SSM parameters seeded for
 * the fallback variant. Usage: ColdStartBench <runs> <event.json> <variant>=<java classpath and flags>...
 */
public final class ColdStartBench {
    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        Path event = Path.of(args[1]);
        String java = ProcessHandle.current().info().command().orElse("java");
        Map<String, String> env = AwsTestEnv.env();
        try (AwsClients clients = new AwsClients(env); SsmFake ssm = new SsmFake()) {
            String table = AwsTestEnv.createTable(clients.dynamoDb());
            String topicName = StandIns.uniqueName("bench-events");
            String topicArn = clients.sns().createTopic(r -> r.name(topicName)).topicArn();
            ssm.seed("bench", topicName, topicArn, table);
            env.put("API_STAGE", "bench");
            env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
            env.put("POWERTOOLS_SERVICE_NAME", "long-running-tasks");
            env.put("POWERTOOLS_LOG_LEVEL", "INFO");
            env.put("AWS_LAMBDA_FUNCTION_NAME", "long-running-tasks-bench-api");
            env.put("TASKS_TABLE", table);
            env.put("TASKS_TOPIC_ARN", topicArn);
            env.put("TASKS_AWS_CALL_TIMEOUT_SECONDS", "6");
            System.out.printf("load average at start: %s%n", loadAverage());
            System.out.printf("%-14s %6s %6s %6s %6s %6s %6s %10s %7s  (median of %d fresh JVMs, ms)%n",
                    "variant", "jvm", "config", "client", "init", "prime", "first", "init+first", "total", runs);
            // Variants take turns run by run, so drift in the machine's load hits them alike.
            int variants = args.length - 2;
            List<List<long[]>> samples = new ArrayList<>();
            for (int v = 0; v < variants; v++) {
                samples.add(new ArrayList<>());
            }
            for (int i = -1; i < runs; i++) { // run -1 warms the page cache and is discarded
                for (int v = 0; v < variants; v++) {
                    String[] parts = args[v + 2].split("=", 2);
                    long[] sample = runOnce(java, parts, env, event, i == 0 && v == 0);
                    if (i >= 0) {
                        samples.get(v).add(sample);
                    }
                }
            }
            for (int v = 0; v < variants; v++) {
                long[] med = new long[COLUMNS];
                for (int c = 0; c < COLUMNS; c++) {
                    final int col = c;
                    long[] column = samples.get(v).stream().mapToLong(x -> x[col]).sorted().toArray();
                    med[c] = column.length % 2 == 1 ? column[column.length / 2]
                            : (column[column.length / 2 - 1] + column[column.length / 2]) / 2;
                }
                System.out.printf("%-14s %6d %6d %6d %6d %6d %6d %10d %7d%n", args[v + 2].split("=", 2)[0],
                        med[0], med[1], med[2], med[3], med[4], med[5], med[6], med[7]);
            }
            System.out.printf("load average at the end: %s%n", loadAverage());
            clients.dynamoDb().deleteTable(r -> r.tableName(table));
            clients.sns().deleteTopic(r -> r.topicArn(topicArn));
        }
        System.exit(0); // stops the stand-ins through StandIns' shutdown hook
    }

    /** jvm, config, client, init, prime, first, init+first, total. */
    private static final int COLUMNS = 8;

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long[] runOnce(String java, String[] parts, Map<String, String> env, Path event, boolean show)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(Arrays.asList(parts[1].trim().split("\\s+")));
        cmd.add("dev.longtasks.bench.ColdStartProbe");
        cmd.add(event.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String probe = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("PROBE ")) {
                    probe = line;
                }
            }
        }
        if (p.waitFor() != 0 || probe == null) {
            throw new IllegalStateException(parts[0] + " failed:\n" + all);
        }
        String[] f = probe.split(" ");
        if (!"202".equals(f[8])) {
            throw new IllegalStateException(parts[0] + " answered " + f[8] + ":\n" + all);
        }
        if (show) {
            System.out.println("sample output of " + parts[0] + ":\n" + all.toString().strip());
        }
        long init = Long.parseLong(f[4]);
        long first = Long.parseLong(f[6]);
        // init+first is the measure: it counts priming in init when the variant primes.
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), init,
                Long.parseLong(f[5]), first, init + Long.parseLong(f[5]) + first, Long.parseLong(f[7])};
    }
}
