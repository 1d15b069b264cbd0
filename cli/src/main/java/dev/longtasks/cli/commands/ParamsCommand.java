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
import dev.longtasks.cli.output.Table;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

@Command(name = "params", description = {"Show the stage's SSM parameters (-o json for scripts, --export for a shell).",
        "Exit 5 when one is missing."},
        footer = {"", "Examples:", "  taskctl params --stage staging", "  eval \"$(taskctl params --stage staging --export)\""})
public final class ParamsCommand extends TargetedCommand {
    @Option(names = "--show-values", description = "Show SecureString values instead of ****.")
    boolean showValues;

    @Option(names = "--export", description = "Print `export TASKS_TABLE=... TASKS_TOPIC_ARN=...` lines: the environment overrides the service reads.")
    boolean export;

    @Override
    public Integer call() {
        TargetOptions.Aws aws = target.aws();
        StageNames names = new StageNames(aws.stage());
        PrintWriter out = out();
        PrintWriter err = err();
        Map<String, Parameter> found;
        try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
            found = SsmParameters.byPath(clients.ssm(), names.pathPrefix());
        }
        List<String> expected = List.of(names.topicNameParameter(), names.topicArnParameter(), names.tableNameParameter());
        if (export) {
            // Export lines carry the values themselves: a SecureString is only exported on request.
            for (String name : List.of(names.topicArnParameter(), names.tableNameParameter())) {
                Parameter p = found.get(name);
                if (p != null && p.type() == ParameterType.SECURE_STRING && !showValues) {
                    throw CliException.usage(name + " is a SecureString: add --show-values to export its value");
                }
            }
            exportLine(out, "TASKS_TOPIC_ARN", found.get(names.topicArnParameter()));
            exportLine(out, "TASKS_TABLE", found.get(names.tableNameParameter()));
            exportLine(out, "API_STAGE", Parameter.builder().value(aws.stage()).build());
        } else if (output.isText()) {
            Table t = new Table("NAME", "TYPE", "VERSION", "LAST MODIFIED", "VALUE");
            for (String name : expected) {
                Parameter p = found.get(name);
                t.row(name, p == null ? "-" : p.typeAsString(), p == null ? "-" : String.valueOf(p.version()),
                        p == null || p.lastModifiedDate() == null ? "-" : p.lastModifiedDate().toString(),
                        p == null ? "(missing)" : StageParameters.shown(p.value(), p.type() == ParameterType.SECURE_STRING, showValues));
            }
            t.print(out);
        } else {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (String name : expected) {
                Parameter p = found.get(name);
                ObjectNode o = arr.addObject();
                o.put("name", name);
                o.put("present", p != null);
                o.put("type", p == null ? null : p.typeAsString());
                o.put("value", p == null ? null : StageParameters.shown(p.value(), p.type() == ParameterType.SECURE_STRING, showValues));
                o.put("version", p == null ? null : p.version());
                o.put("last_modified", p == null || p.lastModifiedDate() == null ? null : p.lastModifiedDate().toString());
            }
            if (output.format() == OutputOptions.Format.jsonl) {
                arr.forEach(n -> out.println(Json.write(n)));
            } else {
                out.println(Json.write(arr));
            }
        }
        out.flush();
        long missing = expected.stream().filter(n -> !found.containsKey(n)).count();
        if (missing > 0) {
            err.println("taskctl: " + missing + " parameter(s) missing for stage " + aws.stage()
                    + " — run `taskctl setup-params --stage " + aws.stage() + "`");
            return ExitCodes.CONFIG;
        }
        return ExitCodes.OK;
    }

    private static void exportLine(PrintWriter out, String var, Parameter p) {
        if (p != null) {
            out.println("export " + var + "='" + p.value().replace("'", "'\\''") + "'");
        }
    }
}
