package dev.longtasks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The required fields of the CloudWatch Embedded Metric Format specification ("Specification:
 * Embedded metric format", Amazon CloudWatch User Guide, and its JSON schema), checked on one log
 * line. {@link #violations} lists every rule a line breaks; a valid line has none.
 */
public final class EmfSpec {
    /** The schema's MetricUnit pattern. */
    public static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private EmfSpec() {
    }

    /** Every rule the line breaks; empty when it is a valid EMF document. */
    public static List<String> violations(String line) {
        List<String> v = new ArrayList<>();
        JsonNode root;
        try {
            // "a valid JSON object with no additional data at the beginning or end", on one line
            root = Json.MAPPER.readTree(line);
        } catch (Exception e) {
            v.add("not JSON: " + e.getMessage());
            return v;
        }
        if (root == null || !root.isObject()) {
            v.add("the root is not a JSON object");
            return v;
        }
        if (line.contains("\n")) {
            v.add("the document spans more than one line");
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            v.add("_aws is missing or not an object");
            return v;
        }
        JsonNode ts = aws.get("Timestamp");
        if (ts == null || !ts.isIntegralNumber()) {
            v.add("_aws.Timestamp is missing or not an integer");
        } else if (ts.asLong() < 1_000_000_000_000L || ts.asLong() > 100_000_000_000_000L) {
            v.add("_aws.Timestamp " + ts + " is not milliseconds since 1970");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray() || directives.isEmpty()) {
            v.add("_aws.CloudWatchMetrics is missing, not an array, or empty");
            return v;
        }
        for (JsonNode d : directives) {
            directive(root, d, v);
        }
        return v;
    }

    private static void directive(JsonNode root, JsonNode d, List<String> v) {
        if (!d.isObject()) {
            v.add("a MetricDirective is not an object");
            return;
        }
        for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("Namespace", "Dimensions", "Metrics").contains(f)) {
                v.add("a MetricDirective has the member '" + f + "', which the specification does not define");
            }
        }
        JsonNode ns = d.get("Namespace");
        if (ns == null || !ns.isTextual() || ns.asText().isEmpty() || ns.asText().length() > 1024) {
            v.add("Namespace is missing, not a string, or not 1 to 1024 characters");
        }
        JsonNode dims = d.get("Dimensions");
        if (dims == null || !dims.isArray() || dims.isEmpty()) {
            v.add("Dimensions is missing, not an array, or empty");
        } else {
            for (JsonNode set : dims) {
                if (!set.isArray()) {
                    v.add("a DimensionSet is not an array: " + set);
                    continue;
                }
                if (set.size() > 30) {
                    v.add("a DimensionSet has " + set.size() + " dimension keys; at most 30");
                }
                for (JsonNode key : set) {
                    if (!key.isTextual() || key.asText().isEmpty() || key.asText().length() > 250) {
                        v.add("a dimension key is not a string of 1 to 250 characters: " + key);
                        continue;
                    }
                    JsonNode target = root.get(key.asText());
                    if (target == null || !target.isTextual()) {
                        v.add("dimension '" + key.asText() + "' has no string member on the root node");
                    } else if (target.asText().length() > 1024) {
                        v.add("dimension '" + key.asText() + "' is longer than 1024 characters");
                    }
                }
            }
        }
        JsonNode metrics = d.get("Metrics");
        if (metrics == null || !metrics.isArray()) {
            v.add("Metrics is missing or not an array");
            return;
        }
        if (metrics.size() > 100) {
            v.add("Metrics has " + metrics.size() + " MetricDefinitions; at most 100");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode m : metrics) {
            metric(root, m, names, v);
        }
    }

    private static void metric(JsonNode root, JsonNode m, Set<String> names, List<String> v) {
        if (!m.isObject()) {
            v.add("a MetricDefinition is not an object");
            return;
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("Name", "Unit", "StorageResolution").contains(f)) {
                v.add("a MetricDefinition has the member '" + f + "', which the specification does not define");
            }
        }
        JsonNode name = m.get("Name");
        if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().length() > 1024) {
            v.add("a MetricDefinition's Name is missing or not a string of 1 to 1024 characters");
            return;
        }
        if (!names.add(name.asText())) {
            v.add("metric '" + name.asText() + "' is defined twice in one directive");
        }
        JsonNode unit = m.get("Unit");
        if (unit != null && (!unit.isTextual() || !UNITS.contains(unit.asText()))) {
            v.add("metric '" + name.asText() + "' has the unit " + unit + ", not a CloudWatch unit");
        }
        JsonNode res = m.get("StorageResolution");
        if (res != null && !(res.isIntegralNumber() && (res.asInt() == 1 || res.asInt() == 60))) {
            v.add("metric '" + name.asText() + "' has the StorageResolution " + res + "; 1 or 60");
        }
        JsonNode target = root.get(name.asText());
        if (target == null) {
            v.add("metric '" + name.asText() + "' has no member on the root node");
        } else if (target.isArray()) {
            if (target.size() > 100) {
                v.add("metric '" + name.asText() + "' has " + target.size() + " values; at most 100");
            }
            for (JsonNode value : target) {
                if (!value.isNumber()) {
                    v.add("metric '" + name.asText() + "' has a value that is not a number: " + value);
                }
            }
        } else if (!target.isNumber()) {
            v.add("metric '" + name.asText() + "' is neither a number nor an array of numbers: " + target);
        }
    }
}
