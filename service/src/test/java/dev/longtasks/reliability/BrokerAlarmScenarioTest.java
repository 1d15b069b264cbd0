package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.events.RabbitMqEventBus;
import dev.longtasks.events.RabbitMqEventSource;
import dev.longtasks.events.RabbitMqSettings;
import dev.longtasks.json.Json;
import dev.longtasks.task.Reconciler;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.BrokerAlarm;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Submits through the API while RabbitMQ raises a memory alarm (node-wide: it blocks every
 * publishing connection; raised for seconds only and always lifted, the broker is shared). Each
 * publish fails after the confirm timeout, so the answer is 202 for a stored, PENDING task; once
 * the alarm is lifted the reconciler publishes them and the workers run each once.
 */
class BrokerAlarmScenarioTest {
    static final int TASKS = 8;

    @AfterAll
    static void liftTheAlarm() {
        BrokerAlarm.lift();
    }

    @Test
    @SuppressWarnings("try") // the alarm only has to be on (and lifted) around the submits
    void submits_during_a_broker_alarm_are_accepted_and_every_task_runs_once_after_it() throws Exception {
        LocalServices.requireRabbitMq();
        BrokerAlarm.requireControl();
        String run = "longtasks-test-" + UUID.randomUUID().toString().substring(0, 8);
        CountingHandler handler = CountingHandler.instant();
        ScenarioReport report = ScenarioReport.lifecycle("selfhosted-broker-alarm",
                "broker alarm (RabbitMQ memory alarm during " + TASKS + " submits: publishes time out after the 2 s confirm "
                        + "wait; the reconciler publishes once it is lifted)", "memory + rabbitmq");
        RabbitMqEventBus bus = RabbitMqEventBus.connect(
                new RabbitMqSettings(LocalServices.amqpUrl(), run + ".events", run + ".tasks", Duration.ofSeconds(2), 4, 10));
        try {
            CoreRig rig = new CoreRig(handler, bus);
            RabbitMqEventSource source = bus.source();
            source.start(rig.runner::run, 4);
            TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
            List<HttpResponse> answers = new ArrayList<>();
            long submitStart;
            long submitMillis;
            try (BrokerAlarm alarm = BrokerAlarm.raise(Duration.ofSeconds(15))) {
                submitStart = System.nanoTime();
                List<CompletableFuture<HttpResponse>> submits = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    int n = i;
                    submits.add(CompletableFuture.supplyAsync(() -> api.handle(new HttpRequest("POST", "/v1/tasks",
                            Map.of("Content-Type", List.of("application/json")), Map.of(),
                            ("{\"type\":\"" + CountingHandler.TYPE + "\",\"data\":{\"i\":" + n + "}}").getBytes(StandardCharsets.UTF_8),
                            "192.0.2.1"))));
                }
                for (CompletableFuture<HttpResponse> f : submits) {
                    answers.add(f.get());
                }
                submitMillis = (System.nanoTime() - submitStart) / 1_000_000;
            }
            assertThat(submitMillis).as("the alarm held the publishes for the confirm timeout").isGreaterThanOrEqualTo(2_000);
            List<String> ids = new ArrayList<>(rig.store.createdIds());
            assertThat(ids).hasSize(TASKS);
            for (HttpResponse res : answers) {
                var body = Json.read(res.bodyText());
                if (res.status() != 202) {
                    report.answeredFailed(body.path("task_id").asText(), 0); // counted with its runs below
                }
            }
            assertThat(answers).as("answers during the alarm").allSatisfy(r -> assertThat(r.status()).isEqualTo(202));

            rig.clock.advance(ReconcilerSettings.DEFAULTS.dispatchGrace());
            Reconciler reconciler = rig.reconciler(bus);
            Eventually.await("every task to end once the alarm is lifted", Duration.ofSeconds(60), () -> {
                reconciler.runOnce(); // publishes what the alarm kept from the bus (fails while it lasts)
                return rig.store.getAll(ids).values().stream().allMatch(t -> t.status().isTerminal());
            });
            assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED));
            ids.forEach(id -> assertThat(handler.starts(id)).as("handler runs of %s", id).isEqualTo(1));
            report.recordRun(rig.store, ids, rig.store, handler.totalStarts(), 0);
            report.write();
            report.assertLifecycleZeros();
            assertThat(report.completedTwice()).isZero();
        } finally {
            BrokerAlarm.lift();
            bus.deleteTopology();
            bus.shutdown(Duration.ofSeconds(5));
        }
    }
}
