package dev.longtasks.cli.doctor;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.aws.StackOutputs;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.doctor.StageChecks.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Whether the three places that name a stage's table and topic agree: the SSM parameters (what
 * the next deploy and taskctl use), the stack's outputs (the topic the stack made, and the ARN
 * parameter as it was at the last deploy) and the functions' environment (what the running code
 * uses: TASKS_TABLE, TASKS_TOPIC_ARN). Each mismatch is one failed check, with the command that
 * fixes it.
 */
public final class StageAgreement {
    private final AwsClients clients;
    private final StageNames names;
    private final List<String> functions;

    public StageAgreement(AwsClients clients, StageNames names, List<String> functions) {
        this.clients = clients;
        this.names = names;
        this.functions = functions;
    }

    private String region() {
        return clients.region().id();
    }

    private String deploy() {
        return names.deployCommand(region());
    }

    private String setTopicArn(String arn) {
        return "`taskctl setup-params --stage " + names.stage() + " --region " + region() + " --topic-arn " + arn + " --overwrite`";
    }

    /** The checks, given the parameters' values (null when a parameter is missing or unreadable). */
    public List<Check> check(String topicArnParameter, String tableParameter) {
        List<Check> results = new ArrayList<>();
        Optional<StackOutputs> stack;
        try {
            stack = StackOutputs.read(clients, names);
        } catch (SdkException e) {
            results.add(Check.fail("stack", "cannot describe " + names.stackName() + ": " + StageChecks.brief(e),
                    "check the region and that the credentials may call cloudformation:DescribeStacks"));
            stack = Optional.empty();
        }
        String stackTopic = null;
        if (stack.isPresent()) {
            stackTopic = stack.get().get(StackOutputs.SYSTEM_EVENT_TOPIC_ARN).orElse(null);
            results.addAll(stackChecks(stack.get(), stackTopic, topicArnParameter));
        } else if (results.isEmpty()) {
            results.add(Check.fail("stack", names.stackName() + " does not exist in " + region(), "deploy the stage: " + deploy()));
        }
        // The functions publish to the stack's own topic; without a readable stack, the parameter is the reference.
        String expectedTopic = stackTopic != null ? stackTopic : topicArnParameter;
        for (String function : functions) {
            results.addAll(environment(function, tableParameter, expectedTopic, stackTopic != null));
        }
        return results;
    }

    private List<Check> stackChecks(StackOutputs stack, String stackTopic, String topicArnParameter) {
        List<Check> results = new ArrayList<>();
        if (stackTopic == null) {
            results.add(Check.fail("stack", stack.stackName() + " has no " + StackOutputs.SYSTEM_EVENT_TOPIC_ARN + " output",
                    "deploy again with this version's serverless.yml: " + deploy()));
            return results;
        }
        String configured = stack.get(StackOutputs.CONFIGURED_TOPIC_ARN).orElse(null);
        if (configured == null || configured.equals(stackTopic)) {
            results.add(Check.pass("stack topic", stack.stackName() + " publishes to " + stackTopic
                    + (configured == null ? "" : ", as the parameter said at deploy")));
        } else {
            results.add(Check.fail("stack topic", "the stack's topic is " + stackTopic + " but " + names.topicArnParameter()
                    + " said " + configured + " at deploy (" + StackOutputs.CONFIGURED_TOPIC_ARN + ")",
                    setTopicArn(stackTopic) + ", then " + deploy()));
        }
        if (topicArnParameter == null) {
            results.add(Check.skip("parameter vs stack", "no topic ARN parameter"));
        } else if (topicArnParameter.equals(stackTopic)) {
            results.add(Check.pass("parameter vs stack", names.topicArnParameter() + " is the stack's topic"));
        } else if (!topicName(topicArnParameter).equals(topicName(stackTopic))) {
            results.add(Check.fail("parameter vs stack", names.topicArnParameter() + " names topic " + topicName(topicArnParameter)
                    + ", the stack has " + topicName(stackTopic) + " (a rename not deployed yet?)",
                    "deploy again: " + deploy()));
        } else {
            results.add(Check.fail("parameter vs stack", names.topicArnParameter() + " is " + topicArnParameter
                    + ", the stack's topic is " + stackTopic, setTopicArn(stackTopic)));
        }
        return results;
    }

    private List<Check> environment(String function, String table, String topic, boolean topicFromStack) {
        String name = "environment " + function;
        GetFunctionConfigurationResponse config;
        try {
            config = configuration(function);
        } catch (ResourceNotFoundException e) {
            return List.of(Check.skip(name, "no such function"));
        } catch (SdkException e) {
            return List.of(Check.fail(name, StageChecks.brief(e), "check that the credentials may call lambda:GetFunctionConfiguration"));
        }
        Map<String, String> env = config.environment() == null || config.environment().variables() == null
                ? Map.of() : config.environment().variables();
        String deployAgain = "deploy again: " + deploy() + " (a new version carries the current names)";
        String version = "version " + config.version();
        List<Check> results = new ArrayList<>();
        mismatch(results, name, version, env, "TASKS_TABLE", table, "the parameter " + names.tableNameParameter(), deployAgain);
        mismatch(results, name, version, env, "TASKS_TOPIC_ARN", topic,
                topicFromStack ? "the stack's topic" : "the parameter " + names.topicArnParameter(), deployAgain);
        if (results.isEmpty()) {
            if (table == null && topic == null) {
                results.add(Check.skip(name, "no parameter or stack output to compare with"));
            } else {
                results.add(Check.pass(name, version + ": TASKS_TABLE " + (table == null ? "not compared (no parameter)" : "as the parameter")
                        + ", TASKS_TOPIC_ARN " + (topic == null ? "not compared" : topicFromStack ? "the stack's topic" : "as the parameter")));
            }
        }
        return results;
    }

    private static void mismatch(List<Check> into, String name, String version, Map<String, String> env, String variable,
                                 String expected, String source, String hint) {
        String actual = env.get(variable);
        if (actual == null) {
            into.add(Check.fail(name, version + " has no " + variable, hint));
        } else if (expected != null && !expected.equals(actual)) {
            into.add(Check.fail(name, version + " has " + variable + "=" + actual + " but " + source + " is " + expected, hint));
        }
    }

    /** What serves: the SnapStart alias; a function deployed without it, its latest code. */
    private GetFunctionConfigurationResponse configuration(String function) {
        try {
            return clients.lambda().getFunctionConfiguration(r -> r.functionName(function).qualifier(StageNames.SNAPSTART_ALIAS));
        } catch (ResourceNotFoundException e) {
            return clients.lambda().getFunctionConfiguration(r -> r.functionName(function));
        }
    }

    private static String topicName(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }
}
