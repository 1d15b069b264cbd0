package dev.longtasks.cli.aws;

/**
 * The SSM parameter names of a stage (DESIGN §6) and the default resource names that
 * {@code setup-params} derives from the stage when no flag gives them.
 */
public record StageNames(String stage) {
    public String topicNameParameter() {
        return "/" + stage + "/v1/sns/system_event_topic_name";
    }

    public String topicArnParameter() {
        return "/" + stage + "/v1/sns/system_event_topic_arn";
    }

    public String tableNameParameter() {
        return "/" + stage + "/v1/tables/long_running_tasks_table";
    }

    public String pathPrefix() {
        return "/" + stage + "/v1/";
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
