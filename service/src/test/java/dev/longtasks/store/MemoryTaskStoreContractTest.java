package dev.longtasks.store;

import dev.longtasks.task.TaskStore;
import java.time.Clock;
import java.time.Duration;

/** The store contract on the embedded store. */
class MemoryTaskStoreContractTest extends TaskStoreContract {
    @Override
    protected TaskStore newStore(Clock clock, Duration openHorizon) {
        return MemoryTaskStore.builder().clock(clock).ttl(TTL).openHorizon(openHorizon).build();
    }
}
