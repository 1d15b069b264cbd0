package dev.longtasks.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps the second and later deploys correct, seen in what `osls package` generates: a
 * renamed table or topic publishes new function versions (new SnapStart snapshots), the region
 * follows --region / $AWS_REGION / $AWS_DEFAULT_REGION with no default of its own, and the table
 * and the topic outlive the stack where the stage's retainData says so.
 */
class ServerlessRedeployIT {
    private static final String EU = "eu-west-1";
    static Map<String, Osls.Packaged> runs;

    /** The runs are independent processes that mostly wait, so they go side by side. */
    @BeforeAll
    static void packageEveryVariant(@TempDir Path tmp) throws Exception {
        Map<String, Variant> variants = new HashMap<>();
        variants.put("reference", new Variant("staging", Osls.STAGING_NAMES, Map.of(), "--region", EU));
        // The same inputs again; $AWS_REGION is there but --region wins.
        variants.put("again", new Variant("staging", Osls.STAGING_NAMES, Map.of("AWS_REGION", "ap-southeast-2"), "--region", EU));
        variants.put("tableRenamed", new Variant("staging", with("tableName", "long-running-tasks-staging-v2"), Map.of(), "--region", EU));
        variants.put("topicRenamed", new Variant("staging", with("topicName", "system-events-staging-v2"), Map.of(), "--region", EU));
        variants.put("ssmArnChanged", new Variant("staging",
                with("topicArn", "arn:aws:sns:eu-west-1:123456789012:someone-elses-topic"), Map.of(), "--region", EU));
        variants.put("awsRegion", new Variant("staging", Osls.STAGING_NAMES,
                Map.of("AWS_REGION", "ap-southeast-2", "AWS_DEFAULT_REGION", "us-west-2")));
        variants.put("awsDefaultRegion", new Variant("staging", Osls.STAGING_NAMES, Map.of("AWS_DEFAULT_REGION", "us-west-2")));
        variants.put("noRegion", new Variant("staging", Osls.STAGING_NAMES, Map.of()));
        variants.put("prod", new Variant("prod", Osls.STAGING_NAMES, Map.of(), "--region", EU));
        variants.put("badRetainData", new Variant("staging", with("retainData", "yes"), Map.of(), "--region", EU));

        Map<String, Future<Osls.Packaged>> pending = new HashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (var e : variants.entrySet()) {
                Path dir = Files.createDirectory(tmp.resolve(e.getKey()));
                Variant v = e.getValue();
                pending.put(e.getKey(), pool.submit(() -> Osls.pack(dir, v.stage(), v.params(), v.env(), v.options())));
            }
        }
        runs = new HashMap<>();
        for (var e : pending.entrySet()) {
            runs.put(e.getKey(), e.getValue().get());
        }
    }

    record Variant(String stage, Map<String, String> params, Map<String, String> env, String... options) {
    }

    static Map<String, String> with(String param, String value) {
        Map<String, String> params = new HashMap<>(Osls.STAGING_NAMES);
        params.put(param, value);
        return params;
    }

    static Osls.Packaged ok(String name) {
        Osls.Packaged p = runs.get(name);
        assertThat(p.exitCode()).as("%s: %s", name, p.log()).isZero();
        return p;
    }

    static JsonNode resource(String run, String logicalId) {
        return ok(run).resources().get(logicalId);
    }

    @Nested
    class Versions {
        @Test
        void the_same_inputs_packaged_twice_give_the_same_version_ids() {
            List<String> ids = ok("reference").versionIds();
            // Three functions since issue 10: api, listener and the scheduled reconciler.
            assertThat(ids).hasSize(3).allMatch(id -> id.startsWith("ApiLambdaVersion") || id.startsWith("ListenerLambdaVersion")
                    || id.startsWith("ReconcilerLambdaVersion"));
            assertThat(ok("again").versionIds()).isEqualTo(ids);
        }

        @Test
        void a_renamed_table_publishes_a_new_version_of_both_functions() {
            assertThat(ok("tableRenamed").versionIds()).doesNotContainAnyElementsOf(ok("reference").versionIds()).hasSize(3);
        }

        @Test
        void a_renamed_topic_publishes_a_new_version_of_both_functions() {
            assertThat(ok("topicRenamed").versionIds()).doesNotContainAnyElementsOf(ok("reference").versionIds()).hasSize(3);
        }

        @Test
        void the_ssm_topic_arn_changes_only_the_output_doctor_compares_never_the_functions() {
            assertThat(ok("ssmArnChanged").versionIds()).isEqualTo(ok("reference").versionIds());
            assertThat(ok("ssmArnChanged").outputs().at("/ConfiguredTopicArn/Value").asText())
                    .isEqualTo("arn:aws:sns:eu-west-1:123456789012:someone-elses-topic");
            assertThat(resource("ssmArnChanged", "ApiLambdaFunction").at("/Properties/Environment/Variables/TASKS_TOPIC_ARN"))
                    .isEqualTo(resource("reference", "ApiLambdaFunction").at("/Properties/Environment/Variables/TASKS_TOPIC_ARN"));
        }
    }

    @Nested
    class Region {
        @Test
        void the_region_option_wins_over_the_environment() {
            assertThat(ok("again").region()).isEqualTo(EU);
            assertThat(ok("again").log()).contains("for stage staging (eu-west-1)");
        }

        @Test
        void follows_AWS_REGION_when_no_region_option_is_given() {
            assertThat(ok("awsRegion").region()).isEqualTo("ap-southeast-2");
            assertThat(ok("awsRegion").log()).contains("for stage staging (ap-southeast-2)");
        }

        @Test
        void falls_back_to_AWS_DEFAULT_REGION_like_taskctl() {
            assertThat(ok("awsDefaultRegion").region()).isEqualTo("us-west-2");
        }

        @Test
        void without_any_region_osls_stops_instead_of_choosing_one() {
            Osls.Packaged p = runs.get("noRegion");
            assertThat(p.exitCode()).as(p.log()).isNotZero();
            assertThat(p.log()).contains("Cannot resolve variable at \"provider.region\"");
        }
    }

    @Nested
    class Data_kept {
        /** Both policies of the table and the topic in one run's template. */
        static void assertPolicies(String run, String policy) {
            for (String id : List.of("TasksTable", "SystemEventTopic")) {
                JsonNode r = resource(run, id);
                assertThat(r.get("DeletionPolicy").asText()).as("%s in %s", id, run).isEqualTo(policy);
                assertThat(r.get("UpdateReplacePolicy").asText()).as("%s in %s", id, run).isEqualTo(policy);
            }
        }

        @Test
        void prod_keeps_the_table_and_the_topic_on_stack_delete_and_on_replacement() {
            assertPolicies("prod", "Retain");
        }

        @Test
        void staging_follows_its_param_and_lets_them_go() {
            assertPolicies("reference", "Delete");
        }

        @Test
        void a_retain_data_value_other_than_true_or_false_stops_the_package() {
            Osls.Packaged p = runs.get("badRetainData");
            assertThat(p.exitCode()).as(p.log()).isNotZero();
            assertThat(p.log()).contains("custom.dataPolicy");
        }
    }
}
