package dev.longtasks.cli.backend;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.options.TargetOptions;

/** A stage's tasks directly in AWS: DynamoDB store + SNS publisher behind TaskService. */
final class AwsTaskBackend {
    private AwsTaskBackend() {
    }

    static TaskBackend open(TargetOptions.Aws target, CliEnvironment env) {
        throw new CliException(ExitCodes.CONFIG, "direct AWS access is not built yet (" + target.describe() + ")");
    }
}
