package dev.longtasks.testing;

import dev.longtasks.aws.AwsClients;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Environment maps and fixtures that point the production client factory at the stand-ins. */
public final class AwsTestEnv {
    private AwsTestEnv() {
    }

    /** The variables a developer would export to run against the stand-ins. */
    public static Map<String, String> env() {
        StandIns s = StandIns.get();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", s.dynamodb().toString());
        env.put("AWS_ENDPOINT_URL_SNS", s.fauxqs().toString());
        env.put("AWS_ENDPOINT_URL_SQS", s.fauxqs().toString());
        return env;
    }

    public static AwsClients clients() {
        return new AwsClients(env());
    }

    /**
     * A fresh table shaped like serverless.yml's, with a unique name: hash key task_id and the
     * sparse open-task index {@code open-due} (open_shard, due_at; keys only) and the listing
     * index {@code recent} (recent_bucket, recent_at; INCLUDE status, task_type).
     */
    public static String createTable(DynamoDbClient dynamo) {
        String name = StandIns.uniqueName("tasks");
        dynamo.createTable(r -> r.tableName(name)
                .keySchema(KeySchemaElement.builder().attributeName("task_id").keyType(KeyType.HASH).build())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("task_id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("open_shard").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("due_at").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("recent_bucket").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("recent_at").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("open-due")
                        .keySchema(KeySchemaElement.builder().attributeName("open_shard").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("due_at").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build(),
                        GlobalSecondaryIndex.builder().indexName("recent")
                        .keySchema(KeySchemaElement.builder().attributeName("recent_bucket").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("recent_at").keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("status", "task_type").build())
                        .build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        return name;
    }
}
