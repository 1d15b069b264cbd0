package dev.longtasks.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.InvalidTaskInputException;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The seed's example task, run by the real runner on the memory store. */
class ExampleHandlerTest {
    private final MemoryTaskStore store = MemoryTaskStore.builder().build();
    private final EventPublisher none = e -> { };
    private final TaskRunner runner = new TaskRunner(store, TaskHandlers.of(List.of(new ExampleHandler())), none,
            RunnerSettings.DEFAULTS, Clock.systemUTC());

    private Task run(String dataJson) {
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, "example", Json.write(Json.read(dataJson)), Instant.now(), 3600));
        runner.run(TaskEvent.submitted(id, "example", "test"));
        return store.get(id).orElseThrow();
    }

    @Nested
    class Results {
        @Test
        void it_completes_every_step_and_returns_the_sha256_of_its_input_json() throws Exception {
            String data = "{\"steps\":4,\"step_ms\":0,\"payload\":\"héllo\"}";
            Task t = run(data);

            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            var result = Json.read(t.result());
            assertThat(result.get("steps_completed").asInt()).isEqualTo(4);
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(Json.read(data)).getBytes(StandardCharsets.UTF_8)));
            assertThat(result.get("data_sha256").asText()).isEqualTo(expected);
            assertThat(t.progress().percent()).isEqualTo(100);
            assertThat(t.progress().message()).isEqualTo("step 4 of 4");
        }

        @Test
        void without_controls_it_runs_five_steps() {
            Task t = run("{\"step_ms\":0}");

            assertThat(Json.read(t.result()).get("steps_completed").asInt()).isEqualTo(5);
        }

        @Test
        void step_ms_makes_each_step_take_that_long() {
            Task t = run("{\"steps\":3,\"step_ms\":30}");

            assertThat(t.finishedAt()).isAfterOrEqualTo(t.startedAt().plusMillis(90));
        }

        @Test
        void fail_at_step_fails_at_that_step_after_reporting_the_earlier_ones() {
            Task t = run("{\"steps\":4,\"step_ms\":0,\"fail_at_step\":3}");

            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.error().type()).isEqualTo("ExampleStepFailedException");
            assertThat(t.error().message()).contains("step 3 of 4");
            assertThat(t.progress().percent()).isEqualTo(50);
        }
    }

    @Nested
    class Validation {
        private final ExampleHandler handler = new ExampleHandler();

        @Test
        void data_must_be_an_object() {
            assertThatThrownBy(() -> handler.validate(Json.read("[1]")))
                    .isInstanceOf(InvalidTaskInputException.class).hasMessageContaining("JSON object");
        }

        @Test
        void controls_must_be_integers_in_range() {
            assertThatThrownBy(() -> handler.validate(Json.read("{\"steps\":0}"))).hasMessageContaining("data.steps");
            assertThatThrownBy(() -> handler.validate(Json.read("{\"step_ms\":-1}"))).hasMessageContaining("data.step_ms");
            assertThatThrownBy(() -> handler.validate(Json.read("{\"steps\":1.5}"))).hasMessageContaining("data.steps");
            assertThatThrownBy(() -> handler.validate(Json.read("{\"fail_at_step\":\"2\"}"))).hasMessageContaining("fail_at_step");
        }
    }
}
