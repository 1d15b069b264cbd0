package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.fault.FaultProxy;
import dev.longtasks.fault.HttpFault;
import dev.longtasks.testing.StandIns;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code taskctl submit --jsonl} against a stage whose SNS or DynamoDB fails half-way through the
 * batch (a fault proxy in front of fauxqs or dynalite): every task that was stored is printed, in
 * input order, and stderr names the lines that were refused.
 */
class SubmitBatchOutcomeTest extends FakeStageFixture {

    @BeforeEach
    void stage() {
        openStage("cli", false);
        env.put("TASKS_AWS_CALL_TIMEOUT_SECONDS", "2");
    }

    @AfterEach
    void drop() {
        closeStage();
    }

    static String lines(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append("{\"steps\":").append(i).append("}\n");
        }
        return b.toString();
    }

    String status(String id) {
        return clients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("task_id", AttributeValue.fromS(id)))).item().get("status").s();
    }

    @Nested
    class When_publishing_fails_after_the_first_chunk {
        @Test
        void every_stored_task_is_printed_and_the_command_succeeds() throws Exception {
            try (FaultProxy sns = FaultProxy.http("127.0.0.1", StandIns.get().fauxqs().getPort())) {
                env.put("AWS_ENDPOINT_URL_SNS", sns.endpoint());
                sns.failAfter(1, 1_000, HttpFault.internalServerError()); // PublishBatch 1 of 2 goes through

                var r = CliRun.run(env, lines(15), "submit", "--stage", stage, "--jsonl", "-");

                assertThat(r.code()).as(r.err()).isZero();
                String[] ids = r.outLines();
                assertThat(ids).hasSize(15);
                for (String id : ids) {
                    assertThat(status(id)).as("stored, and PENDING until the reconciler publishes it").isEqualTo("PENDING");
                }
                assertThat(topic.receive(10, Duration.ofSeconds(10))).hasSize(10);
            }
        }
    }

    @Nested
    class When_the_store_refuses_the_second_chunk {
        @Test
        void the_stored_ids_are_printed_the_refused_lines_named_and_the_exit_code_is_5() throws Exception {
            try (FaultProxy dynamo = FaultProxy.http("127.0.0.1", StandIns.get().dynamodb().getPort())) {
                env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint());
                dynamo.failAfter(1, 1_000, HttpFault.provisionedThroughputExceeded()); // BatchWriteItem 1 of 2 goes through

                var r = CliRun.run(env, lines(30), "submit", "--stage", stage, "--jsonl", "-");

                assertThat(r.code()).isEqualTo(5);
                String[] ids = r.outLines();
                assertThat(ids).as("the first 25 lines were stored").hasSize(25);
                assertThat(r.err()).contains("lines 26-30").contains("refused");
                assertThat(r.err().lines().count()).isEqualTo(1);
                dynamo.clearHttpFaults();
                assertThat(status(ids[0])).isEqualTo("PENDING");
            }
        }
    }
}
