package dev.longtasks.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.aws.SsmParameters;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.aws.StageParameters;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

@Command(name = "setup-params", sortOptions = false,
        description = {"Write the stage's three SSM parameters: topic name, topic ARN, table name.",
                "Prints a plan first: + create, ~ change (old -> new), = unchanged. Unchanged values are skipped;",
                "changing an existing value needs --overwrite."},
        footer = {"", "Examples:", "  taskctl setup-params --stage staging --dry-run",
                "  taskctl setup-params --stage prod --region eu-west-1 --table-name tasks-prod --overwrite"})
public final class SetupParamsCommand extends TargetedCommand {
    @Option(names = "--topic-name", paramLabel = "NAME", description = "SNS topic name (default: long-running-tasks-<stage>-system-events).")
    String topicName;

    @Option(names = "--topic-arn", paramLabel = "ARN",
            description = "SNS topic ARN (default: derived from the name, the region, the account and its partition).")
    String topicArn;

    @Option(names = "--table-name", paramLabel = "NAME", description = "DynamoDB table name (default: long-running-tasks-<stage>).")
    String tableName;

    @Option(names = "--account", paramLabel = "ID", description = "AWS account id for the derived ARN (default: asked from STS).")
    String account;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "String",
            description = "Parameter type: String or SecureString (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--dry-run", description = "Print the plan; write nothing.")
    boolean dryRun;

    @Option(names = "--overwrite", description = "Allow changing parameters that exist with another value.")
    boolean overwrite;

    @Option(names = "--show-values", description = "Show SecureString values instead of ****.")
    boolean showValues;

    enum Action { CREATE, CHANGE, UNCHANGED }

    record Step(String name, Action action, String oldValue, String newValue, boolean secure) {
        String symbol() {
            return switch (action) {
                case CREATE -> "+";
                case CHANGE -> "~";
                case UNCHANGED -> "=";
            };
        }
    }

    @Override
    public Integer call() {
        ParameterType parameterType = switch (type) {
            case "String" -> ParameterType.STRING;
            case "SecureString" -> ParameterType.SECURE_STRING;
            default -> throw CliException.usage("--type " + type + " is not supported: use String or SecureString");
        };
        TargetOptions.Aws aws = target.aws();
        StageNames names = new StageNames(aws.stage());
        PrintWriter out = out();
        PrintWriter err = err();
        try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
            SsmClient ssm = clients.ssm();
            Map<String, Parameter> existing = SsmParameters.byPath(ssm, names.pathPrefix());
            String topic = topicName != null ? topicName : names.defaultTopicName();
            String arn = topicArn != null ? topicArn : derivedTopicArn(clients, topic);
            String table = tableName != null ? tableName : names.defaultTableName();
            List<Step> plan = new ArrayList<>();
            plan.add(step(existing, names.topicNameParameter(), topic, parameterType));
            plan.add(step(existing, names.topicArnParameter(), arn, parameterType));
            plan.add(step(existing, names.tableNameParameter(), table, parameterType));
            note(err, StageEnvironment.where(aws, clients, target.environment()));
            print(out, plan);

            long changes = plan.stream().filter(s -> s.action() == Action.CHANGE).count();
            long creates = plan.stream().filter(s -> s.action() == Action.CREATE).count();
            if (dryRun) {
                note(err, "dry run: nothing was written (" + creates + " to create, " + changes + " to change)");
                return ExitCodes.OK;
            }
            if (changes > 0 && !overwrite) {
                throw CliException.usage(changes + " parameter(s) exist with another value; nothing was written — "
                        + "run again with --overwrite to change them");
            }
            for (Step s : plan) {
                if (s.action() != Action.UNCHANGED) {
                    ssm.putParameter(PutParameterRequest.builder().name(s.name()).value(s.newValue())
                            .type(parameterType).overwrite(s.action() == Action.CHANGE)
                            .description("long-running-tasks, written by taskctl setup-params").build());
                }
            }
            note(err, creates + changes == 0 ? "all parameters are up to date; nothing was written"
                    : "created " + creates + ", changed " + changes + ", unchanged " + (plan.size() - creates - changes));
            return ExitCodes.OK;
        }
    }

    private Step step(Map<String, Parameter> existing, String name, String value, ParameterType type) {
        Parameter p = existing.get(name);
        boolean secure = type == ParameterType.SECURE_STRING || (p != null && p.type() == ParameterType.SECURE_STRING);
        if (p == null) {
            return new Step(name, Action.CREATE, null, value, secure);
        }
        // A type change (String -> SecureString) is a change too, even with the same value.
        Action a = p.value().equals(value) && p.type() == type ? Action.UNCHANGED : Action.CHANGE;
        return new Step(name, a, p.value(), value, secure);
    }

    /**
     * The topic's ARN in this region and account. The partition comes from the caller's own ARN
     * ({@code arn:aws-cn:iam::...} in China, {@code arn:aws-us-gov:...} in GovCloud); with
     * {@code --account} no STS call is made and the region's partition is used.
     */
    private String derivedTopicArn(AwsClients clients, String topic) {
        String region = clients.region().id();
        if (account != null) {
            return StageNames.topicArn(StageNames.partitionOfRegion(region), region, account, topic);
        }
        GetCallerIdentityResponse me = clients.sts().getCallerIdentity();
        return StageNames.topicArn(StageNames.partitionOf(me.arn()), region, me.account(), topic);
    }

    private void print(PrintWriter out, List<Step> plan) {
        if (output.isText()) {
            for (Step s : plan) {
                String nv = StageParameters.shown(s.newValue(), s.secure(), showValues);
                String ov = StageParameters.shown(s.oldValue(), s.secure(), showValues);
                out.println(s.symbol() + " " + s.name() + switch (s.action()) {
                    case CREATE -> " = " + nv;
                    case CHANGE -> ": " + ov + " -> " + nv;
                    case UNCHANGED -> " = " + nv + " (unchanged)";
                });
            }
        } else {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (Step s : plan) {
                ObjectNode o = arr.addObject();
                o.put("name", s.name());
                o.put("action", s.action().name().toLowerCase(Locale.ROOT));
                o.put("old_value", s.oldValue() == null ? null : StageParameters.shown(s.oldValue(), s.secure(), showValues));
                o.put("new_value", StageParameters.shown(s.newValue(), s.secure(), showValues));
                o.put("type", type);
            }
            if (output.format() == OutputOptions.Format.jsonl) {
                arr.forEach(n -> out.println(Json.write(n)));
            } else {
                out.println(Json.write(arr));
            }
        }
        out.flush();
    }

    private void note(PrintWriter err, String line) {
        if (!output.quiet()) {
            err.println(line);
            err.flush();
        }
    }
}
