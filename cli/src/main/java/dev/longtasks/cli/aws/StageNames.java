package dev.longtasks.cli.aws;

import dev.longtasks.config.StageConfig;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * The SSM parameter names of a stage (DESIGN §6, from the service's {@link StageConfig}) and the default resource names that
 * {@code setup-params} derives from the stage when no flag gives them.
 */
public record StageNames(String stage) {
    /**
     * The alias osls points every event source at when a function has {@code snapStart: true}
     * (its naming.getLambdaSnapStartEnabledAliasName; ServerlessTemplateIT checks the template).
     */
    public static final String SNAPSTART_ALIAS = "snapstart";

    public String topicNameParameter() {
        return StageConfig.parameter(stage, StageConfig.TOPIC_NAME);
    }

    public String topicArnParameter() {
        return StageConfig.parameter(stage, StageConfig.TOPIC_ARN);
    }

    public String tableNameParameter() {
        return StageConfig.parameter(stage, StageConfig.TABLE_NAME);
    }

    public String pathPrefix() {
        return StageConfig.prefix(stage);
    }

    public String defaultTopicName() {
        return "long-running-tasks-" + stage + "-system-events";
    }

    public String defaultTableName() {
        return "long-running-tasks-" + stage;
    }

    /** The listener function's name as serverless.yml names it: {service}-{stage}-{function}. */
    public String defaultListenerFunction() {
        return "long-running-tasks-" + stage + "-listener";
    }

    public String defaultApiFunction() {
        return "long-running-tasks-" + stage + "-api";
    }

    /** What deploys this stage, for hints: {@code `npx osls deploy --stage prod --region eu-west-1`}. */
    public String deployCommand(String region) {
        return "`npx osls deploy --stage " + stage + " --region " + region + "`";
    }

    /** The CloudFormation stack osls deploys the stage as: {service}-{stage}. */
    public String stackName() {
        return "long-running-tasks-" + stage;
    }

    public static String topicArn(String partition, String region, String account, String topicName) {
        return "arn:" + partition + ":sns:" + region + ":" + account + ":" + topicName;
    }

    /** The partition an ARN names: {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ... */
    public static String partitionOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":", 3);
        if (parts.length < 3 || !"arn".equals(parts[0]) || parts[1].isEmpty()) {
            throw new IllegalArgumentException("'" + arn + "' is not an ARN");
        }
        return parts[1];
    }

    /** The partition a region belongs to, from the SDK's region metadata (offline). */
    public static String partitionOfRegion(String region) {
        return PartitionMetadata.of(Region.of(region)).id();
    }
}
