package dev.longtasks.cli.backend;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.aws.AwsClients;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.config.TaskSystem;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's tasks directly in AWS: the service's own TaskSystem on DynamoDB + SNS, with the table
 * and topic from the stage's SSM parameters. Submits therefore run exactly the API's code path
 * (validate, store, publish, EnqueueFailed on a failed publish), and reads are consistent.
 */
public final class AwsTaskBackend {
    private AwsTaskBackend() {
    }

    static TaskBackend open(TargetOptions.Aws target, CliEnvironment env) {
        TaskSystem system = TaskSystem.start(ServiceSettings.fromEnv(stageEnv(target, env, true)));
        return new ServiceTaskBackend(target.describe(), system.service(), List.of(() -> system.shutdown(Duration.ZERO)));
    }

    /**
     * The environment the service code reads for this stage: the user's variables, plus what the
     * flags say (--region, --endpoint-url, --profile). {@code api} role: this process runs no tasks.
     */
    public static Map<String, String> stageEnv(TargetOptions.Aws target, CliEnvironment env, boolean apiRole) {
        Map<String, String> m = new HashMap<>(env.env());
        m.put("API_STAGE", target.stage());
        m.put("TASKS_STORE", "dynamodb");
        m.put("TASKS_BUS", "sns");
        if (apiRole) {
            m.put("TASKS_ROLE", "api");
        }
        m.remove("TASKS_QUEUE_URL");
        m.put("AWS_REGION", new AwsClients(target, env).region().id());
        if (target.endpointUrl() != null) {
            m.put("AWS_ENDPOINT_URL", target.endpointUrl().toString());
        }
        if (target.profile() != null) {
            // The SDK's default credentials chain reads the profile from this property.
            System.setProperty("aws.profile", target.profile());
        }
        return m;
    }
}
