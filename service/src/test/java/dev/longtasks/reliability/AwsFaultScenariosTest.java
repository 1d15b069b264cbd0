package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.fault.Fault;
import dev.longtasks.fault.HttpFault;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The AWS path (DynamoDB on dynalite) with DynamoDB throttling and outages injected at the wire. */
class AwsFaultScenariosTest {

    static HttpResponse post(TaskApi api, int i) {
        return api.handle(new HttpRequest("POST", "/v1/tasks", Map.of("Content-Type", List.of("application/json")), Map.of(),
                ("{\"type\":\"" + CountingHandler.TYPE + "\",\"data\":{\"i\":" + i + "}}").getBytes(StandardCharsets.UTF_8),
                "192.0.2.1"));
    }

    @Nested
    class Throttling_during_submit {
        @Test
        void brief_throttling_is_absorbed_by_sdk_retries_and_long_throttling_is_a_503_that_stores_nothing() throws Exception {
            CountingHandler handler = CountingHandler.instant();
            ScenarioReport report = new ScenarioReport("aws-throttling-during-submit",
                    "store throttling during submit (ProvisionedThroughputExceeded on PutItem)", "dynamodb (dynalite)");
            try (AwsRig rig = new AwsRig(handler)) {
                TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
                List<String> accepted = new ArrayList<>();
                int refused = 0;
                for (int i = 0; i < 8; i++) {
                    // three of four submits meet one throttle (absorbed); every fourth meets a long one (not)
                    boolean longThrottle = i % 4 == 3;
                    rig.proxy.failMatching("PutItem", longThrottle ? 1_000 : 1, HttpFault.provisionedThroughputExceeded());
                    HttpResponse res = post(api, i);
                    rig.proxy.clearHttpFaults();
                    if (longThrottle) {
                        assertThat(res.status()).isEqualTo(503);
                        assertThat(res.header("Content-Type")).startsWith("application/problem+json");
                        assertThat(res.header("Retry-After")).isNotBlank();
                        refused++;
                    } else {
                        assertThat(res.status()).as(res.bodyText()).isEqualTo(202);
                        accepted.add(Json.read(res.bodyText()).get("task_id").asText());
                    }
                }
                assertThat(rig.proxy.requestsFaulted()).isGreaterThan(8);
                assertThat(rig.itemsInTable()).as("a refused submit left no item behind").isEqualTo(accepted.size());
                assertThat(rig.published).hasSize(accepted.size());
                for (TaskEvent e : rig.published) {
                    rig.deliver(e, () -> { });
                }
                report.recordRun(rig.store, accepted, rig.store, handler.totalStarts(), 0);
                report.write();
                assertThat(refused).isEqualTo(2);
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
                assertThat(report.ended()).containsExactly(Map.entry("SUCCEEDED", 6));
            }
        }
    }

    @Nested
    class Throttling_during_finish {
        @Test
        void a_throttled_finish_is_rethrown_and_the_redelivery_completes_the_task_once() throws Exception {
            AtomicReference<AwsRig> rigRef = new AtomicReference<>();
            AtomicInteger n = new AtomicInteger();
            CountingHandler handler = new CountingHandler((data, ctx) -> {
                if (ctx.attempt() == 1) {
                    // the finish write that follows meets throttling: briefly for three tasks in four, for long for the fourth
                    rigRef.get().proxy.failMatching("UpdateItem", n.incrementAndGet() % 4 == 0 ? 1_000 : 1,
                            HttpFault.provisionedThroughputExceeded());
                }
                return Json.MAPPER.createObjectNode().put("attempt", ctx.attempt());
            });
            ScenarioReport report = new ScenarioReport("aws-throttling-during-finish",
                    "store throttling during finish (ProvisionedThroughputExceeded on UpdateItem)", "dynamodb (dynalite)");
            try (AwsRig rig = new AwsRig(handler)) {
                rigRef.set(rig);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ids.add(rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), null).taskId());
                }
                int redelivered = 0;
                for (TaskEvent e : rig.published) {
                    int deliveries = rig.deliver(e, rig.proxy::clearHttpFaults);
                    redelivered += deliveries > 1 ? 1 : 0;
                }
                report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), AwsRig.SETTINGS.lease().plusSeconds(1).toMillis());
                report.write();
                assertThat(redelivered).as("tasks whose finish needed a redelivery").isEqualTo(2);
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
                assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED));
            }
        }
    }

    @Nested
    class Store_outage_while_running {
        @Test
        void dynamodb_resetting_every_connection_at_finish_is_rethrown_and_a_redelivery_completes_the_task() throws Exception {
            AtomicReference<AwsRig> rigRef = new AtomicReference<>();
            CountingHandler handler = new CountingHandler((data, ctx) -> {
                if (ctx.attempt() == 1) {
                    rigRef.get().proxy.set(Fault.reset()); // DynamoDB unreachable from here on
                }
                return Json.MAPPER.createObjectNode().put("attempt", ctx.attempt());
            });
            ScenarioReport report = new ScenarioReport("aws-store-outage-while-running",
                    "store outage while a task runs (DynamoDB connections reset)", "dynamodb (dynalite)");
            try (AwsRig rig = new AwsRig(handler)) {
                rigRef.set(rig);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ids.add(rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), null).taskId());
                }
                for (TaskEvent e : rig.published) {
                    assertThat(rig.deliver(e, () -> rig.proxy.set(Fault.passThrough()))).isGreaterThan(1);
                }
                assertThat(rig.proxy.connectionsReset()).isPositive();
                report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), AwsRig.SETTINGS.lease().plusSeconds(1).toMillis());
                report.write();
                assertThat(report.lost()).isZero();
                assertThat(report.completedTwice()).isZero();
                assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> {
                    assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                    assertThat(t.attempt()).isEqualTo(2);
                });
            }
        }
    }
}
