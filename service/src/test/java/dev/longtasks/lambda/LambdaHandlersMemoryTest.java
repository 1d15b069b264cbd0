package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without API_STAGE (or with "local") the handlers run on the embedded memory store and bus: no AWS needed. */
class LambdaHandlersMemoryTest {

    @Test
    void the_api_handler_runs_a_task_on_memory_backends() throws Exception {
        Map<String, String> env = Map.of("API_STAGE", "local", "TASKS_WORKERS", "2");
        ApiHandler api = new ApiHandler(env);
        assertThat(LambdaRuntime.forEnv(env).system().store()).isInstanceOf(MemoryTaskStore.class);
        JsonNode created = LambdaHandlersAwsTest.call(api, LambdaHandlersAwsTest.fixture("http-api-post-process-task.json", null));
        assertThat(created.get("statusCode").asInt()).isEqualTo(202);
        String id = Json.read(created.get("body").asText()).get("task_id").asText();
        long end = System.nanoTime() + 30_000_000_000L;
        String status = "";
        while (!"SUCCEEDED".equals(status) && System.nanoTime() < end) {
            status = LambdaHandlersAwsTest.getTask(api, id).get("status").asText();
            Thread.sleep(20);
        }
        assertThat(status).isEqualTo("SUCCEEDED");
        // the listener on the same container finds it done
        ListenerHandler listener = new ListenerHandler(env);
        JsonNode out = LambdaHandlersAwsTest.call(listener, LambdaHandlersAwsTest.fixture("sns-task-submitted.json", id));
        assertThat(out.get("outcomes").get(0).asText()).isEqualTo("nothing to do: already SUCCEEDED");
    }
}
