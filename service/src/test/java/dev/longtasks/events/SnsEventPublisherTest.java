package dev.longtasks.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.json.Json;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.StandIns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** Publishes through the real SNS client to fauxqs and reads what a subscribed SQS queue got. */
class SnsEventPublisherTest {
    static AwsClients clients;

    @BeforeAll
    static void clients() {
        clients = AwsTestEnv.clients();
    }

    @AfterAll
    static void close() {
        clients.close();
    }

    static TaskEvent submitted() {
        return TaskEvent.submitted(UUID.randomUUID().toString(), "example", "staging");
    }

    @Nested
    class Enveloped {
        @Test
        void one_event_arrives_as_an_sns_notification_with_subject_and_attributes() {
            FauxTopic topic = FauxTopic.create(clients, false, null);
            TaskEvent e = submitted();
            new SnsEventPublisher(clients.sns(), topic.topicArn()).publish(e);
            List<Message> got = topic.receive(1, Duration.ofSeconds(20));
            assertThat(got).hasSize(1);
            JsonNode envelope = Json.read(got.getFirst().body());
            assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
            assertThat(envelope.get("TopicArn").asText()).isEqualTo(topic.topicArn());
            assertThat(envelope.get("Subject").asText()).isEqualTo("example_event");
            assertThat(envelope.at("/MessageAttributes/event_type/Value").asText()).isEqualTo("task.submitted");
            assertThat(envelope.at("/MessageAttributes/event_type/Type").asText()).isEqualTo("String");
            assertThat(envelope.at("/MessageAttributes/task_type/Value").asText()).isEqualTo("example");
            assertThat(Json.read(envelope.get("Message").asText())).isEqualTo(Json.read(
                    "{\"task_id\":\"" + e.taskId() + "\",\"task_type\":\"example\",\"event\":\"task.submitted\",\"stage\":\"staging\"}"));
            assertThat(TaskEventCodec.decode(got.getFirst().body())).contains(e);
            topic.delete();
        }

        @Test
        void a_batch_of_23_goes_out_in_three_calls_and_all_arrive() {
            FauxTopic topic = FauxTopic.create(clients, false, null);
            List<TaskEvent> events = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                events.add(submitted());
            }
            new SnsEventPublisher(clients.sns(), topic.topicArn()).publishAll(events);
            List<Message> got = topic.receive(23, Duration.ofSeconds(30));
            assertThat(got.stream().map(m -> TaskEventCodec.decode(m.body()).orElseThrow()))
                    .containsExactlyInAnyOrderElementsOf(events);
            topic.delete();
        }

        @Test
        void the_filter_policy_of_the_listener_lets_only_submissions_through() {
            FauxTopic topic = FauxTopic.create(clients, false, "{\"event_type\":[\"task.submitted\"]}");
            SnsEventPublisher publisher = new SnsEventPublisher(clients.sns(), topic.topicArn());
            TaskEvent done = new TaskEvent(UUID.randomUUID().toString(), "example", TaskEvent.SUCCEEDED, "staging");
            TaskEvent e = submitted();
            publisher.publishAll(List.of(done, e));
            List<Message> got = topic.receive(2, Duration.ofSeconds(5));
            assertThat(got).extracting(m -> TaskEventCodec.decode(m.body()).orElseThrow()).containsExactly(e);
            topic.delete();
        }
    }

    @Nested
    class Raw {
        @Test
        void raw_delivery_carries_the_event_json_and_sqs_message_attributes() {
            FauxTopic topic = FauxTopic.create(clients, true, null);
            TaskEvent e = submitted();
            new SnsEventPublisher(clients.sns(), topic.topicArn()).publish(e);
            Message m = topic.receive(1, Duration.ofSeconds(20)).getFirst();
            assertThat(Json.read(m.body()).get("task_id").asText()).isEqualTo(e.taskId());
            assertThat(m.messageAttributes()).containsKeys("event_type", "task_type");
            assertThat(m.messageAttributes().get("event_type").stringValue()).isEqualTo("task.submitted");
            assertThat(TaskEventCodec.decode(m.body())).contains(e);
            topic.delete();
        }
    }

    @Nested
    class Failures {
        @Test
        void an_unknown_topic_is_an_event_publish_exception_naming_it() {
            String arn = "arn:aws:sns:us-east-1:000000000000:" + StandIns.uniqueName("missing");
            SnsEventPublisher p = new SnsEventPublisher(clients.sns(), arn);
            assertThatThrownBy(() -> p.publish(submitted()))
                    .isInstanceOf(EventPublishException.class)
                    .hasMessageStartingWith("SNS Publish to " + arn + " at " + StandIns.get().fauxqs() + " failed: ")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> p.publishAll(List.of(submitted())))
                    .isInstanceOf(EventPublishException.class)
                    .hasMessageContaining(arn);
        }

        @Test
        void an_unreachable_endpoint_is_one_line() {
            Map<String, String> env = AwsTestEnv.env();
            env.put("AWS_ENDPOINT_URL_SNS", "http://127.0.0.1:" + StandIns.freePortForTests());
            try (AwsClients dead = new AwsClients(env)) {
                SnsEventPublisher p = new SnsEventPublisher(dead.sns(), "arn:aws:sns:us-east-1:000000000000:t");
                assertThatThrownBy(() -> p.publish(submitted()))
                        .isInstanceOf(EventPublishException.class)
                        .hasMessageStartingWith("SNS Publish to arn:aws:sns:us-east-1:000000000000:t at "
                                + env.get("AWS_ENDPOINT_URL_SNS") + " failed: cannot connect");
            }
        }

        @Test
        void a_topic_that_is_not_an_arn_is_refused_at_construction() {
            assertThatThrownBy(() -> new SnsEventPublisher(clients.sns(), "events"))
                    .hasMessageContaining("needs a topic ARN");
        }
    }
}
