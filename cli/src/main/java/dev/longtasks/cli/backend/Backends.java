package dev.longtasks.cli.backend;

import dev.longtasks.cli.options.TargetOptions;

/** Opens the backend for a resolved target. */
public final class Backends {
    private Backends() {
    }

    public static TaskBackend open(TargetOptions target) {
        return switch (target.resolve()) {
            case TargetOptions.Http h -> new HttpTaskBackend(h.baseUrl());
            case TargetOptions.Aws a -> AwsTaskBackend.open(a, target.environment());
        };
    }
}
