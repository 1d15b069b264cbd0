package dev.longtasks.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import dev.longtasks.testing.FixedContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The Lambda listener under hostile SNS events: a message that is not a task event, or names a
 * task that does not exist, must be answered (skipped or "nothing to do"), never thrown, or Lambda
 * would retry it twice and then dead-letter a message that can never succeed.
 */
@Label("Lambda ListenerHandler under hostile SNS events")
class ListenerHandlerPropertiesTest {
    private static final Map<String, String> ENV = Map.of("API_STAGE", "local", "TASKS_WORKERS", "1");
    private static final ListenerHandler LISTENER = new ListenerHandler(ENV);

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> ids = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.create(() -> UUID.randomUUID().toString())),
                Tuple.of(2, Arbitraries.of("", "../x", "a;b", "null", "0", "{}", "\u0000")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
        Arbitrary<String> events = Arbitraries.of("task.submitted", "task.succeeded", "task.failed", "", "TASK.SUBMITTED", "x");
        Arbitrary<String> taskEvents = Arbitraries.frequencyOf(
                Tuple.of(3, ids.flatMap(id -> events.map(ev -> Json.write(Map.of("task_id", id, "task_type", "example",
                        "event", ev, "stage", "local"))))),
                Tuple.of(2, events.map(ev -> "{\"event\":\"" + ev + "\"}")),
                Tuple.of(1, events.map(ev -> "{\"event\":\"" + ev + "\",\"task_id\":null,\"task_type\":null}")),
                Tuple.of(1, events.map(ev -> "{\"event\":\"" + ev + "\",\"task_id\":7,\"task_type\":[1]}")),
                Tuple.of(1, ids.map(id -> "{\"event\":\"task.submitted\",\"task_id\":\"" + id + "\"}")));
        return Arbitraries.frequencyOf(
                Tuple.of(6, taskEvents),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(200)),
                Tuple.of(1, Arbitraries.of("", "null", "[]", "{}", "1e999999", "{\"Message\":1,\"TopicArn\":2}",
                        "{\"Message\":\"{\\\"event\\\":\\\"task.submitted\\\"}\",\"TopicArn\":\"x\"}")));
    }

    @Provide
    Arbitrary<List<String>> batches() {
        return messages().list().ofMinSize(0).ofMaxSize(4);
    }

    static byte[] event(List<String> messages) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        ArrayNode records = e.putArray("Records");
        for (String m : messages) {
            ObjectNode r = records.addObject();
            r.put("EventSource", "aws:sns");
            ObjectNode sns = r.putObject("Sns");
            sns.put("Type", "Notification");
            sns.put("MessageId", UUID.randomUUID().toString());
            sns.put("Message", m);
        }
        return Json.writeBytes(e);
    }

    @Example
    @Label("finding (fixed): a task.submitted record without task_id threw, failing the whole event")
    void a_record_without_task_id_is_skipped_and_the_next_record_still_runs() throws Exception {
        ApiHandler api = new ApiHandler(ENV);
        ByteArrayOutputStream created = new ByteArrayOutputStream();
        api.handleRequest(new ByteArrayInputStream(ApiHandlerPropertiesTest.class.getResourceAsStream(
                "/events/http-api-post-process-task.json").readAllBytes()), created, FixedContext.standard());
        String id = Json.read(Json.MAPPER.readTree(created.toByteArray()).get("body").asText()).get("task_id").asText();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LISTENER.handleRequest(new ByteArrayInputStream(event(List.of("{\"event\":\"task.submitted\"}",
                Json.write(Map.of("task_id", id, "task_type", "example", "event", "task.submitted", "stage", "local"))))),
                out, FixedContext.standard());
        JsonNode outcomes = Json.MAPPER.readTree(out.toByteArray()).get("outcomes");
        assertThat(outcomes.get(0).asText()).isEqualTo("ignored: task.submitted event without a task_id");
        assertThat(outcomes.get(1).asText()).matches("finished SUCCEEDED|nothing to do: already SUCCEEDED|held by .*");
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    @Label("every record is answered, none throws")
    void hostile_sns_records_are_answered_never_thrown(@ForAll("batches") List<String> messages) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LISTENER.handleRequest(new ByteArrayInputStream(event(messages)), out, FixedContext.standard());
        JsonNode outcomes = Json.MAPPER.readTree(out.toByteArray()).get("outcomes");
        assertThat(outcomes).hasSize(messages.size());
    }
}
