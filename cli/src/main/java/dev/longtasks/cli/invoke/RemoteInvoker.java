package dev.longtasks.cli.invoke;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.aws.SsmParameters;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.SnsEvents;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * {@code invoke --remote}: the deployed listener, invoked synchronously (RequestResponse,
 * LogType=Tail) with the synthetic SNS event; prints the decoded log tail and the function error.
 */
public final class RemoteInvoker {
    /** Lambda's pattern for a version or alias name. */
    private static final Pattern QUALIFIER = Pattern.compile("[a-zA-Z0-9$_-]{1,128}");

    /** A function and the version or alias of it to invoke. */
    public record Target(String function, String qualifier) {
        public static Target of(String function, String qualifier) {
            if (!QUALIFIER.matcher(qualifier).matches()) {
                throw CliException.usage("--qualifier '" + qualifier + "' is not a version or alias name "
                        + "(letters, digits, $, _ and -; e.g. " + StageNames.SNAPSTART_ALIAS + ", $LATEST or 3)");
            }
            return new Target(function, qualifier);
        }

        @Override
        public String toString() {
            return function + ":" + qualifier;
        }
    }

    private RemoteInvoker() {
    }

    public static int invoke(AwsClients clients, String stage, Target function, String taskId, String type, PrintWriter out,
                             PrintWriter err) {
        StageNames names = new StageNames(stage);
        String topicArn = topicArn(clients, names);
        String event = Json.write(SnsEvents.lambdaEvent(TaskEvent.submitted(taskId, type, names.stage()), topicArn, Instant.now()));
        err.println("invoking " + function + " (RequestResponse) with task.submitted for " + taskId + "...");
        err.flush();
        InvokeResponse r = clients.lambda().invoke(b -> b.functionName(function.function()).qualifier(function.qualifier())
                .invocationType(InvocationType.REQUEST_RESPONSE)
                .logType(LogType.TAIL).payload(SdkBytes.fromString(event, StandardCharsets.UTF_8)));
        if (r.logResult() != null) {
            err.println("--- log tail (last 4 KB) ---");
            err.print(new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8));
            err.println("--- end of log tail ---");
        }
        String payload = r.payload() == null ? "" : r.payload().asUtf8String();
        if (!payload.isEmpty()) {
            out.println(payload);
            out.flush();
        }
        if (r.functionError() != null) {
            err.println("taskctl: the function failed (FunctionError: " + r.functionError() + ")"
                    + " — see the log tail above; Lambda's async retry would run it again");
            err.flush();
            return ExitCodes.TASK_FAILED;
        }
        err.println("function returned with status " + r.statusCode()
                + (r.executedVersion() == null ? "" : " (version " + r.executedVersion() + ")"));
        err.flush();
        return ExitCodes.OK;
    }

    /** The event names the stage's real topic when the parameter is there; a derived one otherwise. */
    private static String topicArn(AwsClients clients, StageNames names) {
        try {
            Parameter p = SsmParameters.byPath(clients.ssm(), names.pathPrefix()).get(names.topicArnParameter());
            if (p != null) {
                return p.value();
            }
        } catch (SdkException e) {
            // The listener ignores the TopicArn; a missing parameter is doctor's business, not this command's.
        }
        String region = clients.region().id();
        return StageNames.topicArn(StageNames.partitionOfRegion(region), region, "000000000000", names.defaultTopicName());
    }
}
