package dev.longtasks.store;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The shared store contract on DynamoDB (dynalite), a table per test: the open-task index is
 * read across the whole table, so tests must not see each other's tasks.
 */
class DynamoDbTaskStoreContractTest extends TaskStoreContract {
    static AwsClients clients;
    private String table;

    @BeforeAll
    static void connect() {
        clients = AwsTestEnv.clients();
    }

    @AfterAll
    static void disconnect() {
        clients.close();
    }

    @AfterEach
    void dropTable() {
        if (table != null) {
            clients.dynamoDb().deleteTable(r -> r.tableName(table));
        }
    }

    @Override
    protected TaskStore newStore(Clock clock, Duration openHorizon) {
        if (table == null) {
            table = AwsTestEnv.createTable(clients.dynamoDb());
        }
        return DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).clock(clock).ttl(TTL)
                .openHorizon(openHorizon).build();
    }
}
