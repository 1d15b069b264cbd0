import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints the Markdown tables of RELIABILITY.md from the figures the scenario and property tests
 * wrote to service/target/reliability/*.json (run by bench/reliability-table.sh). JDK only: the
 * JSON is flat enough for a few patterns.
 */
public class ReliabilityTable {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "service/target/reliability");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        }
        System.out.println("| scenario | backend | runs | tasks submitted | tasks ended (per state) | lost | completed twice | handler runs | time to recover |");
        System.out.println("|---|---|---:|---:|---|---:|---:|---:|---:|");
        for (Path f : files) {
            String j = Files.readString(f);
            if (!j.contains("\"scenario\"") || lifecycle(j)) {
                continue;
            }
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", str(j, "scenario"), str(j, "backend"),
                    num(j, "runs"), num(j, "tasks_submitted"), states(obj(j, "tasks_ended"), obj(j, "error_types")),
                    num(j, "lost"), num(j, "completed_twice"), num(j, "handler_runs"), millis(num(j, "time_to_recover_ms")));
        }
        System.out.println();
        System.out.println("| lifecycle scenario (issue 10) | backend | runs | tasks submitted | tasks ended (per state) | failure answers | lost | answered failed but ran | stranded | handler runs | time to end |");
        System.out.println("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for (Path f : files) {
            String j = Files.readString(f);
            if (!j.contains("\"scenario\"") || !lifecycle(j)) {
                continue;
            }
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", str(j, "scenario"), str(j, "backend"),
                    num(j, "runs"), num(j, "tasks_submitted"), states(obj(j, "tasks_ended"), obj(j, "error_types")),
                    num(j, "answered_failed"), num(j, "lost"), num(j, "answered_failed_but_ran"), num(j, "stranded"),
                    num(j, "handler_runs"), millis(num(j, "time_to_recover_ms")));
        }
        System.out.println();
        System.out.println("| property | cases | 5xx | answers by status |");
        System.out.println("|---|---:|---:|---|");
        for (Path f : files) {
            String j = Files.readString(f);
            if (!j.contains("\"property\"")) {
                continue;
            }
            System.out.printf("| %s | %s | %s | %s |%n", str(j, "property"), num(j, "cases"), num(j, "status_5xx"),
                    flat(obj(j, "by_status")));
        }
    }

    /** Written by ScenarioReport.lifecycle: goes to the lifecycle table, with its three counts. */
    static boolean lifecycle(String json) {
        return Pattern.compile("\"lifecycle\"\\s*:\\s*true").matcher(json).find();
    }

    static String str(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static String num(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    static Map<String, String> obj(String json, String key) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\{([^}]*)}").matcher(json);
        if (m.find()) {
            Matcher kv = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(\\d+)").matcher(m.group(1));
            while (kv.find()) {
                out.put(kv.group(1), kv.group(2));
            }
        }
        return out;
    }

    static String states(Map<String, String> ended, Map<String, String> errors) {
        String s = flat(ended);
        return errors.isEmpty() ? s : s + " (errors: " + flat(errors) + ")";
    }

    static String flat(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    static String millis(String ms) {
        if (ms.isEmpty() || ms.equals("0")) {
            return "n/a";
        }
        long v = Long.parseLong(ms);
        return v >= 1000 ? String.format("%.1f s", v / 1000.0) : v + " ms";
    }
}
