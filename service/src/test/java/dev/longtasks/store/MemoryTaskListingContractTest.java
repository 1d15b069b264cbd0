package dev.longtasks.store;

import dev.longtasks.task.TaskStore;
import java.time.Clock;

/** The listing contract on the embedded store. */
class MemoryTaskListingContractTest extends TaskListingContract {
    @Override
    protected TaskStore newStore(Clock clock) {
        return MemoryTaskStore.builder().clock(clock).ttl(TTL).build();
    }
}
