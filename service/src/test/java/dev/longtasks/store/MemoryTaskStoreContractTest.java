package dev.longtasks.store;

import dev.longtasks.task.TaskStore;
import java.time.Clock;

/** The store contract on the embedded store. */
class MemoryTaskStoreContractTest extends TaskStoreContract {
    @Override
    protected TaskStore newStore(Clock clock) {
        return MemoryTaskStore.builder().clock(clock).ttl(TTL).build();
    }
}
