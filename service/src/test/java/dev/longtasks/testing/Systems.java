package dev.longtasks.testing;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.wiring.TaskSystem;
import java.util.HashMap;
import java.util.Map;

/** Starts real task systems (memory store, in-process bus) for tests. */
public final class Systems {
    private Systems() {
    }

    /** A system with the defaults plus the given environment variables. */
    public static TaskSystem start(String... envPairs) {
        return TaskSystem.start(ServiceSettings.fromEnv(env(envPairs)));
    }

    public static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("API_STAGE", "test");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
