package dev.longtasks.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The CI definitions run what the README promises, ship what a release needs, and hold no secret. */
class CiFilesTest {
    private static final String README_TEST_COMMAND = RepoFiles.readmeTestCommand();
    /** Where DashboardBrowserTest keeps its screenshots (a CI artifact). */
    private static final String UI_SCREENSHOTS = "service/target/ui-screenshots/";

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            list.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    @Nested
    class The_readme {
        @Test
        void states_its_test_command_in_the_quick_start_block() {
            assertThat(README_TEST_COMMAND).isEqualTo("./test.sh");
        }
    }

    @Nested
    class The_deploy_page {
        @Test
        void says_how_to_enable_the_gitlab_deploy_jobs() {
            assertThat(RepoFiles.read("docs/deploy.md")).contains("sed -i 's/^#> //' .gitlab-ci.yml");
        }
    }

    @Nested
    class The_ci_entry_point {
        @Test
        void installs_the_browser_and_the_terminal_multiplexer_the_ui_tests_need_when_missing() {
            String run = RepoFiles.read(".ci/run");
            assertThat(run).contains("command -v chromium >/dev/null ||", "apt-get install -y -qq chromium");
            assertThat(run).contains("command -v tmux >/dev/null ||", "apt-get install -y -qq tmux");
            assertThat(run.strip()).endsWith(README_TEST_COMMAND);
        }

        @Test
        void installs_the_prometheus_text_parser_the_metrics_test_reads_with_when_missing() {
            String run = RepoFiles.read(".ci/run");
            assertThat(run).contains("/usr/bin/python3 -c 'import prometheus_client.parser'",
                    "apt-get install -y -qq python3-prometheus-client");
            assertThat(RepoFiles.read(".gitlab-ci.yml")).contains("python3-prometheus-client");
            assertThat(RepoFiles.read(".github/workflows/ci.yml")).contains("python3-prometheus-client");
        }
    }

    @Nested
    class The_gitlab_pipeline {
        private final JsonNode ci = RepoFiles.yaml(RepoFiles.read(".gitlab-ci.yml"));

        @Test
        void has_the_stages_test_package_and_deploy_in_that_order() {
            assertThat(texts(ci.get("stages"))).containsExactly("test", "package", "deploy");
        }

        @Test
        void test_job_runs_exactly_the_readme_test_command() {
            JsonNode test = ci.get("test");
            assertThat(test.get("stage").asText()).isEqualTo("test");
            assertThat(texts(test.get("script"))).containsExactly(README_TEST_COMMAND);
        }

        @Test
        void test_job_gets_redis_and_rabbitmq_as_services_and_their_urls() {
            JsonNode test = ci.get("test");
            List<String> services = new ArrayList<>();
            test.get("services").forEach(s -> services.add(s.get("name").asText() + " as " + s.get("alias").asText()));
            assertThat(services).containsExactly("redis:7 as redis", "rabbitmq:3 as rabbitmq");
            assertThat(test.get("variables").get("REDIS_URL").asText()).isEqualTo("redis://redis:6379");
            assertThat(test.get("variables").get("AMQP_URL").asText()).isEqualTo("amqp://guest:guest@rabbitmq:5672");
        }

        @Test
        void test_job_installs_a_jdk_21_and_chromium_on_an_image_with_node_22() {
            JsonNode test = ci.get("test");
            assertThat(test.get("image").asText()).startsWith("node:22");
            assertThat(String.join("\n", texts(test.get("before_script"))))
                    .contains("openjdk-21-jdk-headless").contains("chromium");
        }

        @Test
        void test_job_installs_tmux_and_keeps_the_dashboard_screenshots_pass_or_fail() {
            JsonNode test = ci.get("test");
            assertThat(String.join("\n", texts(test.get("before_script")))).contains("tmux");
            assertThat(texts(test.at("/artifacts/paths"))).contains(UI_SCREENSHOTS);
            assertThat(test.at("/artifacts/when").asText()).isEqualTo("always");
        }

        @Test
        void package_job_builds_the_jars_and_keeps_the_lambda_and_taskctl_jars() {
            JsonNode pkg = ci.get("package");
            assertThat(pkg.get("stage").asText()).isEqualTo("package");
            assertThat(texts(pkg.get("script"))).contains("./mvnw -B -DskipTests package");
            assertThat(texts(pkg.get("artifacts").get("paths")))
                    .containsExactly("service/target/service-*-lambda.jar", "cli/target/taskctl-*.jar");
        }

        @Test
        void ships_with_no_live_deploy_job() {
            List<String> deployJobs = new ArrayList<>();
            ci.properties().forEach(e -> {
                if (e.getValue().isObject() && "deploy".equals(e.getValue().path("stage").asText())) {
                    deployJobs.add(e.getKey());
                }
            });
            assertThat(deployJobs).isEmpty();
        }

        @Test
        void once_enabled_deploys_staging_from_main_and_prod_by_hand() {
            JsonNode enabled = RepoFiles.yaml(RepoFiles.gitlabWithDeployEnabled());
            JsonNode staging = enabled.get("deploy:staging");
            JsonNode prod = enabled.get("deploy:prod");

            assertThat(enabled.get(".deploy").get("stage").asText()).isEqualTo("deploy");
            assertThat(texts(staging.get("script"))).containsExactly("npx osls deploy --stage staging --region \"$AWS_REGION\"");
            assertThat(staging.get("rules").get(0).get("if").asText()).isEqualTo("$CI_COMMIT_BRANCH == \"main\"");
            assertThat(staging.get("rules").get(0).has("when")).isFalse();
            assertThat(texts(prod.get("script"))).containsExactly("npx osls deploy --stage prod --region \"$AWS_REGION\"");
            assertThat(prod.get("rules").get(0).get("if").asText()).isEqualTo("$CI_COMMIT_BRANCH == \"main\"");
            assertThat(prod.get("rules").get(0).get("when").asText()).isEqualTo("manual");
            assertThat(texts(prod.get("needs"))).contains("deploy:staging");
        }

        @Test
        void every_osls_command_names_its_region() {
            // Enabled or not: an osls deploy, package or remove without --region would take
            // whatever $AWS_REGION the runner has, or stop.
            List<String> osls = RepoFiles.gitlabWithDeployEnabled().lines().filter(l -> l.contains("npx osls")).toList();
            assertThat(osls).hasSize(2).allMatch(l -> l.contains("--region \"$AWS_REGION\""));
        }

        @Test
        void once_enabled_takes_aws_credentials_from_oidc_and_a_ci_variable() {
            JsonNode deploy = RepoFiles.yaml(RepoFiles.gitlabWithDeployEnabled()).get(".deploy");

            assertThat(deploy.get("id_tokens").get("AWS_ID_TOKEN").get("aud").asText()).isEqualTo("sts.amazonaws.com");
            assertThat(String.join("\n", texts(deploy.get("before_script")))).contains("AWS_ROLE_ARN=\"$AWS_DEPLOY_ROLE_ARN\"");
        }

        @Test
        void holds_no_secret_or_account_id_enabled_or_not() {
            assertThat(SecretScan.inText(RepoFiles.read(".gitlab-ci.yml"))).isEmpty();
            assertThat(SecretScan.inTree(RepoFiles.yaml(RepoFiles.gitlabWithDeployEnabled()))).isEmpty();
        }
    }

    @Nested
    class The_github_workflows {
        private final JsonNode ci = RepoFiles.yaml(RepoFiles.read(".github/workflows/ci.yml"));
        private final JsonNode deploy = RepoFiles.yaml(RepoFiles.read(".github/workflows/deploy.yml"));

        private static List<String> runs(JsonNode job) {
            return StreamSupport.stream(job.get("steps").spliterator(), false)
                    .filter(s -> s.has("run")).map(s -> s.get("run").asText().strip()).toList();
        }

        private static List<String> uses(JsonNode job) {
            return StreamSupport.stream(job.path("steps").spliterator(), false)
                    .filter(s -> s.has("uses")).map(s -> s.get("uses").asText()).toList();
        }

        @Test
        void ci_tests_every_push_and_pull_request() {
            assertThat(ci.get("on").has("push")).isTrue();
            assertThat(ci.get("on").has("pull_request")).isTrue();
        }

        @Test
        void ci_test_job_runs_exactly_the_readme_test_command_once() {
            JsonNode test = ci.get("jobs").get("test");
            assertThat(runs(test)).containsOnlyOnce(README_TEST_COMMAND);
            assertThat(runs(test)).noneMatch(r -> r.contains("mvnw"));
        }

        @Test
        void ci_test_job_gets_redis_and_rabbitmq_service_containers_and_their_urls() {
            JsonNode test = ci.get("jobs").get("test");
            assertThat(test.get("services").get("redis").get("image").asText()).isEqualTo("redis:7");
            assertThat(test.get("services").get("rabbitmq").get("image").asText()).isEqualTo("rabbitmq:3");
            assertThat(test.get("env").get("REDIS_URL").asText()).isEqualTo("redis://redis:6379");
            assertThat(test.get("env").get("AMQP_URL").asText()).isEqualTo("amqp://guest:guest@rabbitmq:5672");
        }

        @Test
        void ci_test_job_installs_tmux_and_uploads_the_dashboard_screenshots_pass_or_fail() {
            JsonNode test = ci.get("jobs").get("test");
            assertThat(String.join("\n", runs(test))).contains("chromium tmux");
            JsonNode upload = StreamSupport.stream(test.get("steps").spliterator(), false)
                    .filter(s -> s.path("with").path("path").asText().contains(UI_SCREENSHOTS)).findFirst().orElseThrow();
            assertThat(upload.get("uses").asText()).startsWith("actions/upload-artifact@");
            assertThat(upload.get("if").asText()).isEqualTo("always()");
            assertThat(upload.at("/with/name").asText()).isEqualTo("ui-screenshots");
        }

        @Test
        void ci_package_job_uploads_the_jars_under_a_name_with_the_version() {
            JsonNode pkg = ci.get("jobs").get("package");
            assertThat(runs(pkg)).contains("./mvnw -B -DskipTests package");
            JsonNode upload = StreamSupport.stream(pkg.get("steps").spliterator(), false)
                    .filter(s -> s.path("uses").asText().startsWith("actions/upload-artifact@")).findFirst().orElseThrow();
            assertThat(upload.get("with").get("name").asText())
                    .isEqualTo("long-running-tasks-${{ steps.version.outputs.version }}");
            assertThat(upload.get("with").get("path").asText())
                    .contains("service/target/service-${{ steps.version.outputs.version }}-lambda.jar")
                    .contains("cli/target/taskctl-${{ steps.version.outputs.version }}.jar");
        }

        @Test
        void deploy_jobs_run_behind_their_environments_with_oidc_from_a_variable() {
            for (String stage : List.of("staging", "prod")) {
                JsonNode job = deploy.get("jobs").get("deploy-" + stage);
                assertThat(job.get("environment").asText()).isEqualTo(stage);
                assertThat(job.get("permissions").get("id-token").asText()).isEqualTo("write");
                JsonNode aws = StreamSupport.stream(job.get("steps").spliterator(), false)
                        .filter(s -> s.path("uses").asText().startsWith("aws-actions/configure-aws-credentials@"))
                        .findFirst().orElseThrow();
                assertThat(aws.get("with").get("role-to-assume").asText()).isEqualTo("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
                // osls deploys to the region the credentials were set up for, never to one of its own.
                String region = aws.get("with").get("aws-region").asText();
                assertThat(region).isEqualTo("${{ vars.AWS_REGION }}");
                assertThat(runs(job)).contains("npx osls deploy --stage " + stage + " --region \"" + region + "\"");
                assertThat(uses(job)).doesNotContain("aws-actions/configure-aws-credentials@v1");
            }
        }

        @Test
        void deploy_waits_for_a_green_ci_run_on_main() {
            JsonNode run = deploy.get("on").get("workflow_run");
            assertThat(texts(run.get("workflows"))).containsExactly(ci.get("name").asText());
            assertThat(texts(run.get("branches"))).containsExactly("main");
            assertThat(deploy.get("jobs").get("package").get("if").asText())
                    .contains("github.event.workflow_run.conclusion == 'success'");
        }

        @Test
        void every_workflow_uses_one_version_of_each_action() {
            Map<String, Set<String>> versions = new TreeMap<>();
            for (Path w : RepoFiles.githubWorkflows()) {
                RepoFiles.yaml(RepoFiles.read(w)).get("jobs").forEach(job -> uses(job).forEach(u -> {
                    String[] actionAndRef = u.split("@", 2);
                    versions.computeIfAbsent(actionAndRef[0], a -> new TreeSet<>()).add(actionAndRef[1]);
                }));
            }
            assertThat(versions).containsKeys("actions/checkout", "actions/upload-artifact");
            versions.forEach((action, refs) -> assertThat(refs).as(action).hasSize(1));
        }

        @Test
        void no_workflow_holds_a_secret_or_account_id() {
            List<Path> workflows = RepoFiles.githubWorkflows();
            assertThat(workflows).extracting(p -> p.getFileName().toString()).contains("ci.yml", "deploy.yml");
            for (Path w : workflows) {
                String text = RepoFiles.read(w);
                assertThat(SecretScan.inText(text)).as(w.toString()).isEmpty();
                assertThat(SecretScan.inTree(RepoFiles.yaml(text))).as(w.toString()).isEmpty();
            }
        }
    }
}
