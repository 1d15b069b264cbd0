package dev.longtasks.cli.aws;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.options.TargetOptions;
import java.util.HashMap;
import java.util.Map;

/** What the service code reads when the CLI works on an AWS stage: the environment plus the target's flags. */
public final class StageEnvironment {
    private StageEnvironment() {
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
