package dev.longtasks.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.CountingHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Task ids are capabilities (whoever knows one can read and cancel the task): they must be random UUIDv4. */
@Label("task ids")
class TaskIdPropertiesTest {
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    @Property(tries = 20)
    @Label("every submitted task gets a distinct, canonical, random version-4 UUID")
    void ids_are_random_uuid_v4(@ForAll @IntRange(min = 1, max = 500) int submits) throws Exception {
        TaskService service = new TaskService(MemoryTaskStore.builder().build(), e -> { },
                TaskHandlers.of(List.of(CountingHandler.instant())), Clock.systemUTC(), Duration.ofHours(1), "test",
                TaskService.DEFAULT_MAX_INPUT_BYTES);
        Set<String> seen = new HashSet<>();
        List<String> single = new ArrayList<>();
        for (int i = 0; i < submits; i++) {
            String id = service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode().put("i", i), null).taskId();
            single.add(id);
        }
        List<String> batch = service.submitAll(List.of(
                new TaskService.Submission(CountingHandler.TYPE, "{}"), new TaskService.Submission(CountingHandler.TYPE, "{}")))
                .stream().map(o -> ((SubmitOutcome.Stored) o).taskId()).toList();
        for (String id : concat(single, batch)) {
            assertThat(id).matches(CANONICAL);
            UUID u = UUID.fromString(id);
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2); // IETF RFC 4122/9562 variant
            assertThat(seen.add(id)).as("duplicate id %s", id).isTrue();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
