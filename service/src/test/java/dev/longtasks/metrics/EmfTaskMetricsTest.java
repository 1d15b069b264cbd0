package dev.longtasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.config.ConfigurationException;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.EmfSpec;
import dev.longtasks.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The EMF lines of one invocation, held to the specification's required fields. */
class EmfTaskMetricsTest {
    final MutableClock clock = MutableClock.startingNow();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    final EmfTaskMetrics metrics = new EmfTaskMetrics("LongTasks", "prod", "prod-listener",
            new PrintStream(stdout, true, StandardCharsets.UTF_8), clock);

    List<JsonNode> validLines() {
        List<String> lines = metrics.drain();
        for (String line : lines) {
            assertThat(EmfSpec.violations(line)).as(line).isEmpty();
        }
        return lines.stream().map(Json::read).toList();
    }

    static List<String> names(JsonNode line) {
        return line.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name");
    }

    @Nested
    class The_specification_check {
        @Test
        void finds_what_a_broken_line_gets_wrong() {
            String broken = "{\"_aws\":{\"Timestamp\":1700000000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                    + "\"Dimensions\":[[\"Stage\"]],\"Metrics\":[{\"Name\":\"Runs\",\"Unit\":\"Tasks\"}]}]},\"Runs\":\"3\"}";

            assertThat(EmfSpec.violations(broken)).containsExactlyInAnyOrder(
                    "_aws.Timestamp 1700000000 is not milliseconds since 1970",
                    "dimension 'Stage' has no string member on the root node",
                    "metric 'Runs' has the unit \"Tasks\", not a CloudWatch unit",
                    "metric 'Runs' is neither a number nor an array of numbers: \"3\"");
            assertThat(EmfSpec.violations("{\"Runs\":3}")).containsExactly("_aws is missing or not an object");
        }
    }

    @Nested
    class One_invocation {
        @Test
        void writes_nothing_when_nothing_happened() {
            metrics.flush();

            assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
        }

        @Test
        void sums_counts_and_keeps_each_duration_in_one_line_per_task_type() {
            metrics.submitted("example");
            metrics.started("example", 1, Duration.ofMillis(120));
            metrics.ended("example", TaskStatus.SUCCEEDED, null, Duration.ofMillis(1500));
            metrics.started("example", 2, null);
            metrics.ended("example", TaskStatus.SUCCEEDED, null, Duration.ofMillis(900));

            List<JsonNode> lines = validLines();

            assertThat(lines).hasSize(1);
            JsonNode line = lines.getFirst();
            assertThat(line.at("/_aws/Timestamp").asLong()).isEqualTo(clock.millis());
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("LongTasks");
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Stage\",\"TaskType\"]]");
            assertThat(names(line)).containsExactly("Submitted", "Started", "Succeeded", "QueueWait", "RunTime");
            assertThat(line.get("Stage").asText()).isEqualTo("prod");
            assertThat(line.get("TaskType").asText()).isEqualTo("example");
            assertThat(line.get("Started").asLong()).isEqualTo(2);
            assertThat(line.get("Succeeded").asLong()).isEqualTo(2);
            assertThat(line.get("QueueWait").toString()).isEqualTo("[120]");
            assertThat(line.get("RunTime").toString()).isEqualTo("[1500,900]");
            assertThat(line.get("function_name").asText()).isEqualTo("prod-listener");
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics/3/Unit").asText()).isEqualTo("Milliseconds");
        }

        @Test
        void counts_failures_per_type_and_per_error_type_from_one_value() {
            metrics.ended("http-check", TaskStatus.FAILED, "TimedOut", Duration.ofSeconds(3));
            metrics.ended("http-check", TaskStatus.FAILED, "ProbeFailedException", null);
            metrics.ended("http-check", TaskStatus.FAILED, "TimedOut", null);
            metrics.ended("http-check", TaskStatus.CANCELLED, null, null);

            List<JsonNode> lines = validLines();

            JsonNode timedOut = lines.stream().filter(l -> "TimedOut".equals(l.path("ErrorType").asText())).findFirst().orElseThrow();
            assertThat(timedOut.get("Failed").asLong()).isEqualTo(2);
            assertThat(timedOut.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                    .isEqualTo("[[\"Stage\",\"TaskType\"],[\"Stage\",\"TaskType\",\"ErrorType\"]]");
            assertThat(lines).filteredOn(l -> "ProbeFailedException".equals(l.path("ErrorType").asText()))
                    .singleElement().satisfies(l -> assertThat(l.get("Failed").asLong()).isEqualTo(1));
            assertThat(lines).filteredOn(l -> !l.has("ErrorType")).singleElement().satisfies(l -> {
                assertThat(l.get("Cancelled").asLong()).isEqualTo(1);
                assertThat(l.get("RunTime").toString()).isEqualTo("[3000]");
            });
        }

        @Test
        void counts_reconciler_actions_by_action() {
            metrics.reconciled("republished", 3);
            metrics.reconciled("republished", 2);
            metrics.reconciled("taken_over", 1);

            List<JsonNode> lines = validLines();

            assertThat(lines).extracting(l -> l.get("Action").asText() + "=" + l.get("ReconcilerActions").asLong())
                    .containsExactlyInAnyOrder("republished=5", "taken_over=1");
            assertThat(lines.getFirst().at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Stage\",\"Action\"]]");
        }

        @Test
        void splits_more_than_100_durations_over_several_lines_and_counts_once() {
            for (int i = 0; i < 250; i++) {
                metrics.started("noop", 1, Duration.ofMillis(i));
            }

            List<JsonNode> lines = validLines();

            assertThat(lines).hasSize(3);
            assertThat(lines).extracting(l -> l.get("QueueWait").size()).containsExactly(100, 100, 50);
            assertThat(lines).extracting(l -> l.path("Started").asLong()).containsExactly(250L, 0L, 0L);
            assertThat(lines.get(2).get("QueueWait").get(49).asLong()).isEqualTo(249);
        }

        @Test
        void flushes_once_then_starts_afresh() {
            metrics.submitted("noop");
            metrics.flush();
            metrics.flush();

            String out = stdout.toString(StandardCharsets.UTF_8);
            assertThat(out.lines()).hasSize(1);
            assertThat(EmfSpec.violations(out.strip())).isEmpty();
        }
    }

    @Nested
    class Configuration {
        @Test
        void takes_the_namespace_from_TASKS_METRICS_NAMESPACE_with_a_default() {
            PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            EmfTaskMetrics custom = EmfTaskMetrics.fromEnv(Map.of("TASKS_METRICS_NAMESPACE", "Acme/Tasks"), "dev", out);
            EmfTaskMetrics dflt = EmfTaskMetrics.fromEnv(Map.of(), "dev", out);
            custom.submitted("noop");
            dflt.submitted("noop");

            assertThat(Json.read(custom.drain().getFirst()).at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Acme/Tasks");
            assertThat(Json.read(dflt.drain().getFirst()).at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("LongTasks");
        }

        @Test
        void refuses_a_namespace_cloudwatch_would_refuse() {
            PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);

            assertThatThrownBy(() -> EmfTaskMetrics.fromEnv(Map.of("TASKS_METRICS_NAMESPACE", "AWS/Lambda"), "dev", out))
                    .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("TASKS_METRICS_NAMESPACE=AWS/Lambda is not");
            assertThatThrownBy(() -> EmfTaskMetrics.fromEnv(Map.of("TASKS_METRICS_NAMESPACE", "tasks{prod}"), "dev", out))
                    .isInstanceOf(ConfigurationException.class);
        }
    }
}
