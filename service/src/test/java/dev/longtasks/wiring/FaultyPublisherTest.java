package dev.longtasks.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test-only publish fault knob TASKS_FAULT_PUBLISH_FAILURE_PERCENT. */
class FaultyPublisherTest {
    private static final class Recording implements EventPublisher {
        final List<TaskEvent> published = new ArrayList<>();

        @Override
        public void publish(TaskEvent event) {
            published.add(event);
        }
    }

    private static TaskEvent event(int i) {
        return TaskEvent.submitted("t" + i, "noop", "local");
    }

    @Test
    void the_share_of_publishes_the_knob_names_fails_and_never_reaches_the_bus() {
        Recording bus = new Recording();
        // Draws 0.00, 0.01, ..., 0.99 in turn: with 5 %, exactly the draws below 0.05 fail.
        AtomicInteger draw = new AtomicInteger();
        FaultyPublisher faulty = new FaultyPublisher(bus, 5, () -> (draw.getAndIncrement() % 100) / 100.0);
        int thrown = 0;
        for (int i = 0; i < 1000; i++) {
            try {
                faulty.publish(event(i));
            } catch (EventPublishException e) {
                assertThat(e.backPressure()).isFalse();
                assertThat(e.getMessage()).contains("fault injected").contains("t" + i);
                thrown++;
            }
        }
        assertThat(thrown).isEqualTo(50);
        assertThat(faulty.failed()).isEqualTo(50);
        assertThat(bus.published).hasSize(950);
    }

    @Test
    void a_batch_fails_part_way_and_only_its_first_events_reach_the_bus() {
        Recording bus = new Recording();
        double[] draws = {0.9, 0.9, 0.001, 0.9};
        AtomicInteger i = new AtomicInteger();
        FaultyPublisher faulty = new FaultyPublisher(bus, 1, () -> draws[i.getAndIncrement()]);
        assertThatThrownBy(() -> faulty.publishAll(List.of(event(0), event(1), event(2), event(3))))
                .isInstanceOf(EventPublishException.class).hasMessageContaining("2 of 4 events not published");
        assertThat(bus.published).extracting(TaskEvent::taskId).containsExactly("t0", "t1");
    }

    @Test
    void unset_or_zero_leaves_the_publisher_as_it_is() {
        Recording bus = new Recording();
        assertThat(FaultyPublisher.wrap(bus, ServiceSettings.fromEnv(Map.of()))).isSameAs(bus);
        assertThat(FaultyPublisher.wrap(bus, ServiceSettings.fromEnv(Map.of(FaultyPublisher.VARIABLE, "0")))).isSameAs(bus);
        assertThat(FaultyPublisher.wrap(bus, ServiceSettings.fromEnv(Map.of(FaultyPublisher.VARIABLE, "1.5"))))
                .isInstanceOf(FaultyPublisher.class);
    }

    @Test
    void bad_values_and_the_aws_path_are_refused_with_the_variable_named() {
        Recording bus = new Recording();
        for (String bad : List.of("abc", "-1", "100.5", "NaN")) {
            assertThatThrownBy(() -> FaultyPublisher.wrap(bus, ServiceSettings.fromEnv(Map.of(FaultyPublisher.VARIABLE, bad))))
                    .isInstanceOf(ConfigurationException.class).hasMessageStartingWith(FaultyPublisher.VARIABLE + "=" + bad);
        }
        assertThatThrownBy(() -> FaultyPublisher.wrap(bus, ServiceSettings.fromEnv(
                Map.of(FaultyPublisher.VARIABLE, "1", "TASKS_BUS", "sns"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("refused with TASKS_BUS=sns");
    }

    @Test
    void wired_into_the_task_system_every_publish_fails_and_the_submitted_task_stays_stored_and_pending() throws Exception {
        Map<String, String> env = Map.of(FaultyPublisher.VARIABLE, "100", "TASKS_DISPATCH_GRACE_SECONDS", "1",
                "TASKS_RECONCILE_INTERVAL_SECONDS", "0", "TASKS_WORKERS", "2");
        try (TaskSystem system = TaskSystem.start(ServiceSettings.fromEnv(env))) {
            assertThat(system.publisher()).isInstanceOf(FaultyPublisher.class);
            String id = system.service().submit("noop", Json.MAPPER.createObjectNode(), null).taskId();
            Thread.sleep(300);
            assertThat(system.service().get(id).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
            assertThat(((FaultyPublisher) system.publisher()).failed()).isPositive();
        }
    }
}
