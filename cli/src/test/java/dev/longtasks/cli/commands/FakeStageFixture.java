package dev.longtasks.cli.commands;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.testing.AwsTestEnv;
import dev.longtasks.testing.FauxTopic;
import dev.longtasks.testing.SsmFake;
import dev.longtasks.testing.StandIns;
import java.util.HashMap;
import java.util.Map;

/**
 * A stage of the stand-ins for tests that run taskctl against "AWS": a dynalite table, a fauxqs
 * topic, and an SSM fake seeded with the stage's parameters; {@link #env} is what taskctl needs
 * to reach them. Tests call {@link #openStage} and {@link #closeStage} from their own lifecycle
 * methods (per test or per class, as each needs).
 */
abstract class FakeStageFixture {
    AwsClients clients;
    FauxTopic topic;
    SsmFake ssm;
    String table;
    String stage;
    Map<String, String> env;

    /** @param withQueue whether the topic gets a subscribed queue to read the published events from */
    void openStage(String prefix, boolean withQueue) {
        clients = AwsTestEnv.clients();
        table = AwsTestEnv.createTable(clients.dynamoDb());
        topic = FauxTopic.create(clients, withQueue, null);
        ssm = new SsmFake();
        stage = StandIns.uniqueName(prefix).replaceAll("[^A-Za-z0-9_-]", "-");
        ssm.seed(stage, topic.topicArn().substring(topic.topicArn().lastIndexOf(':') + 1), topic.topicArn(), table);
        env = new HashMap<>(AwsTestEnv.env());
        env.put("AWS_ENDPOINT_URL_SSM", ssm.endpoint().toString());
    }

    void closeStage() {
        topic.delete();
        clients.dynamoDb().deleteTable(r -> r.tableName(table));
        ssm.close();
        clients.close();
    }
}
