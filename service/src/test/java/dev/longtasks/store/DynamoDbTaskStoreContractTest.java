package dev.longtasks.store;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared store contract on DynamoDB (dynalite), one table for the class. */
class DynamoDbTaskStoreContractTest extends TaskStoreContract {
    static AwsClients clients;
    static String table;

    @BeforeAll
    static void createTable() {
        clients = AwsTestEnv.clients();
        table = AwsTestEnv.createTable(clients.dynamoDb());
    }

    @AfterAll
    static void dropTable() {
        clients.dynamoDb().deleteTable(r -> r.tableName(table));
        clients.close();
    }

    @Override
    protected TaskStore newStore(Clock clock) {
        return DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).clock(clock).ttl(TTL).build();
    }
}
