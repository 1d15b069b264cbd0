package dev.longtasks.store;

import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.LocalServices;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The listing contract on the real Redis (REDIS_URL), each test under its own key prefix. */
class RedisTaskListingContractTest extends TaskListingContract {
    private String prefix;

    @Override
    protected TaskStore newStore(Clock clock) {
        LocalServices.requireRedis();
        prefix = "longtasks-list-test-" + UUID.randomUUID() + ":";
        return RedisTaskStore.builder().url(LocalServices.redisUrl()).keyPrefix(prefix).clock(clock).ttl(TTL).build();
    }

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            RedisKeys.deleteAll(LocalServices.redisUrl(), prefix);
        }
    }
}
