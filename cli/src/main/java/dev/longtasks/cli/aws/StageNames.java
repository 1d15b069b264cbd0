package dev.longtasks.cli.aws;

import dev.longtasks.config.StageConfig;

/**
 * The SSM parameter names of a stage (DESIGN §6, from the service's {@link StageConfig}) and the default resource names that
 * {@code setup-params} derives from the stage when no flag gives them.
 */
public record StageNames(String stage) {
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

    public static String topicArn(String region, String account, String topicName) {
        return "arn:aws:sns:" + region + ":" + account + ":" + topicName;
    }
}
