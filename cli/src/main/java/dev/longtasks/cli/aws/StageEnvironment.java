package dev.longtasks.cli.aws;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.wiring.AwsStage;
import java.util.HashMap;
import java.util.Map;

/**
 * What the service code reads when {@code taskctl} works on an AWS stage: the user's environment
 * with the target's flags mapped onto the variables the service's {@link AwsClients} honours, and
 * the stage's backends forced by {@link AwsStage}. Every AWS call of the CLI goes through it.
 */
public final class StageEnvironment {
    private StageEnvironment() {
    }

    /**
     * {@code --profile} beats access keys in the environment (as with the aws CLI); {@code --region}
     * beats {@code AWS_REGION}, and without either the SDK's chain (the profile's region) decides;
     * {@code --endpoint-url} stands in for {@code AWS_ENDPOINT_URL}, so
     * {@code AWS_ENDPOINT_URL_<SERVICE>} still wins for its service.
     */
    public static Map<String, String> of(TargetOptions.Aws target, CliEnvironment env) {
        Map<String, String> m = new HashMap<>(env.env());
        m.put("API_STAGE", target.stage());
        if (target.profile() != null) {
            m.put("AWS_PROFILE", target.profile());
            m.remove("AWS_ACCESS_KEY_ID");
            m.remove("AWS_SECRET_ACCESS_KEY");
            m.remove("AWS_SESSION_TOKEN");
        }
        m.put("AWS_REGION", target.region() != null ? target.region() : AwsClients.regionOrSdkChain(m).id());
        if (target.endpointUrl() != null) {
            m.put("AWS_ENDPOINT_URL", target.endpointUrl().toString());
        }
        return AwsStage.environment(m);
    }

    /** Where the region came from, in the order {@link #of} looks: {@code --region}, {@code $AWS_REGION}, ... */
    public static String regionSource(TargetOptions.Aws target, CliEnvironment env) {
        if (target.region() != null) {
            return "--region";
        }
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            if (env.get(name) != null) {
                return "$" + name;
            }
        }
        return "the AWS profile";
    }

    /** "stage prod in region eu-west-1 (from --region)": what a command that changes or checks a stage says first. */
    public static String where(TargetOptions.Aws target, AwsClients clients, CliEnvironment env) {
        return "stage " + target.stage() + " in region " + clients.region().id() + " (from " + regionSource(target, env) + ")";
    }

    /** The AWS clients for this target; close them (not the SDK clients they hand out) when done. */
    public static AwsClients clients(TargetOptions.Aws target, CliEnvironment env) {
        return new AwsClients(of(target, env));
    }
}
