package dev.longtasks.config;

/**
 * The AWS names of one stage, as SSM Parameter Store holds them under {@code /{stage}/v1/}.
 *
 * @param topicName {@code sns/system_event_topic_name}
 * @param topicArn {@code sns/system_event_topic_arn}
 * @param tableName {@code tables/long_running_tasks_table}
 */
public record StageConfig(String topicName, String topicArn, String tableName, String stage) {
    public static final String TOPIC_NAME = "sns/system_event_topic_name";
    public static final String TOPIC_ARN = "sns/system_event_topic_arn";
    public static final String TABLE_NAME = "tables/long_running_tasks_table";

    /** {@code /staging/v1/} */
    public static String prefix(String stage) {
        return "/" + stage + "/v1/";
    }

    /** {@code /staging/v1/tables/long_running_tasks_table} */
    public static String parameter(String stage, String name) {
        return prefix(stage) + name;
    }
}
