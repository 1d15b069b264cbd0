package dev.longtasks.store;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.AwsTestEnv;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The listing contract on DynamoDB (dynalite: not DynamoDB, but its wire protocol and GSI semantics), a table per test. */
class DynamoDbTaskListingContractTest extends TaskListingContract {
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
    protected TaskStore newStore(Clock clock) {
        table = AwsTestEnv.createTable(clients.dynamoDb());
        return DynamoDbTaskStore.builder().client(clients.dynamoDb()).tableName(table).clock(clock).ttl(TTL).build();
    }
}
