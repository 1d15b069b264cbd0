package dev.longtasks.cli.aws;

import dev.longtasks.aws.AwsClients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** The outputs of a stage's CloudFormation stack ({@code long-running-tasks-<stage>}), as serverless.yml declares them. */
public record StackOutputs(String stackName, Map<String, String> values) {
    public static final String SYSTEM_EVENT_TOPIC_ARN = "SystemEventTopicArn";
    public static final String CONFIGURED_TOPIC_ARN = "ConfiguredTopicArn";
    public static final String LISTENER_FAILURE_QUEUE_URL = "ListenerFailureQueueUrl";

    /** One DescribeStacks; empty when the stack does not exist (CloudFormation's ValidationError). */
    public static Optional<StackOutputs> read(AwsClients clients, StageNames names) {
        String name = names.stackName();
        try {
            Stack stack = clients.cloudFormation().describeStacks(r -> r.stackName(name)).stacks().getFirst();
            Map<String, String> values = new LinkedHashMap<>();
            for (Output o : stack.outputs()) {
                values.put(o.outputKey(), o.outputValue());
            }
            return Optional.of(new StackOutputs(name, values));
        } catch (CloudFormationException e) {
            if (e.awsErrorDetails() != null && "ValidationError".equals(e.awsErrorDetails().errorCode())
                    && String.valueOf(e.awsErrorDetails().errorMessage()).contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }
}
