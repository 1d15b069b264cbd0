package dev.longtasks.store;

import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.LocalServices;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The store contract on the real Redis (REDIS_URL), each test under its own key prefix. */
class RedisTaskStoreContractTest extends TaskStoreContract {
    private String prefix;

    @Override
    protected TaskStore newStore(Clock clock, Duration openHorizon) {
        LocalServices.requireRedis();
        if (prefix == null) {
            prefix = "longtasks-test-" + UUID.randomUUID() + ":";
        }
        return RedisTaskStore.builder().url(LocalServices.redisUrl()).keyPrefix(prefix).clock(clock).ttl(TTL)
                .openHorizon(openHorizon).build();
    }

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            RedisKeys.deleteAll(LocalServices.redisUrl(), prefix);
        }
    }
}
