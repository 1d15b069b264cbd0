package dev.longtasks.cli;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.local.LocalMain;
import dev.longtasks.store.MemoryTaskStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real local service (TaskApi + LocalServer + in-process listener) on a random loopback port. */
public final class LocalService implements AutoCloseable {
    private final LocalMain.Running running;

    public LocalService(Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.putIfAbsent("HOST", "127.0.0.1");
        try {
            running = LocalMain.start(ServiceSettings.fromEnv(env).withPort(0), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalService() {
        this(Map.of());
    }

    public String url() {
        return "http://127.0.0.1:" + running.port();
    }

    /** How many tasks the service holds: lets a test prove that nothing was submitted. */
    public int taskCount() {
        return ((MemoryTaskStore) running.system().store()).size();
    }

    @Override
    public void close() {
        running.stop(Duration.ofSeconds(2));
    }
}
