package dev.longtasks.cli.backend;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.api.TaskLists;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.wiring.TaskSystem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Opens the backend for a resolved target. */
public final class Backends {
    private Backends() {
    }

    public static TaskBackend open(TargetOptions target) {
        return switch (target.resolve()) {
            case TargetOptions.Http h -> new HttpTaskBackend(h.baseUrl(), RequestAuth.of(h, target.environment()));
            case TargetOptions.Aws a -> stage(a, target.environment());
        };
    }

    /**
     * A stage's tasks directly in AWS: the service's own TaskSystem on DynamoDB + SNS, with the table
     * and topic from the stage's SSM parameters. Submits therefore run exactly the API's code path
     * (validate, store, publish, EnqueueFailed on a failed publish), and reads are consistent. Listing
     * runs the list routes' own code over the store's listing (501 on a store without one).
     */
    private static TaskBackend stage(TargetOptions.Aws target, CliEnvironment env) {
        TaskSystem system = TaskSystem.start(ServiceSettings.fromEnv(StageEnvironment.of(target, env)));
        ServiceSettings settings = system.settings();
        TaskLists lists = new TaskLists(system.listing().orElse(null), settings.store().toString(), settings.ttl(), Clock.systemUTC());
        return new ServiceTaskBackend(target.describe(), system.service(), lists, List.of(() -> system.shutdown(Duration.ZERO)));
    }
}
