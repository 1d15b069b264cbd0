package dev.longtasks.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.doctor.StageAgreement;
import dev.longtasks.cli.doctor.StageChecks;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.model.Parameter;

@Command(name = "doctor", description = {"Check a stage: credentials and region, the SSM parameters, the topic, the table",
        "(hash key task_id, TTL on ttl, the open-task index), the listener's subscription and the functions,",
        "that the parameters, the stack's outputs and the functions' environment name the same table and",
        "topic, and how many open tasks are overdue (the reconciler should have moved them on).",
        "One pass/fail line per check, with a hint. Exit 5 when a check fails."})
public final class DoctorCommand extends TargetedCommand {
    @Option(names = "--listener-function", paramLabel = "NAME", description = "Listener function (default: long-running-tasks-<stage>-listener).")
    String listenerFunction;

    @Option(names = "--api-function", paramLabel = "NAME", description = "API function (default: long-running-tasks-<stage>-api).")
    String apiFunction;

    @Override
    public Integer call() {
        TargetOptions.Aws aws = target.aws();
        StageNames names = new StageNames(aws.stage());
        List<StageChecks.Check> results = new ArrayList<>();
        String listener = listenerFunction != null ? listenerFunction : names.defaultListenerFunction();
        String api = apiFunction != null ? apiFunction : names.defaultApiFunction();
        try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
            if (!output.quiet()) {
                err().println("checking " + StageEnvironment.where(aws, clients, target.environment()));
                err().flush();
            }
            StageChecks checks = new StageChecks(clients, names, listener, api);
            Map<String, Parameter> params = check(checks, names, results);
            results.addAll(new StageAgreement(clients, names, List.of(api, listener))
                    .check(value(params, names.topicArnParameter()), value(params, names.tableNameParameter())));
            // Last: whether the reconciler keeps up only matters once the stage itself is sound.
            String table = value(params, names.tableNameParameter());
            if (table != null) {
                results.add(guard("overdue tasks", () -> checks.overdue(table)));
            }
        }
        print(results);
        return results.stream().anyMatch(c -> c.state() == StageChecks.State.FAIL) ? ExitCodes.CONFIG : ExitCodes.OK;
    }

    private static String value(Map<String, Parameter> params, String name) {
        Parameter p = params == null ? null : params.get(name);
        return p == null ? null : p.value();
    }

    /** The checks of {@link StageChecks}, in order; returns the parameters read (null when unreadable). */
    private static Map<String, Parameter> check(StageChecks checks, StageNames names, List<StageChecks.Check> results) {
        results.add(guard("credentials", checks::credentials));
        Map<String, Parameter> params = null;
        try {
            params = checks.parameters(results);
        } catch (SdkException e) {
            results.add(StageChecks.Check.fail("parameters", "cannot read " + names.pathPrefix() + ": " + StageChecks.brief(e),
                    "check the region and that the credentials may call ssm:GetParametersByPath"));
        }
        Parameter arn = params == null ? null : params.get(names.topicArnParameter());
        Parameter table = params == null ? null : params.get(names.tableNameParameter());
        results.add(arn == null ? StageChecks.Check.skip("topic", "no topic ARN parameter")
                : guard("topic", () -> checks.topic(arn.value())));
        results.add(table == null ? StageChecks.Check.skip("table", "no table name parameter")
                : guard("table", () -> checks.table(table.value())));
        results.add(arn == null ? StageChecks.Check.skip("subscription", "no topic ARN parameter")
                : guard("subscription", () -> checks.subscription(arn.value())));
        results.add(guard("functions", checks::functions));
        return params;
    }

    private static StageChecks.Check guard(String name, Supplier<StageChecks.Check> check) {
        try {
            return check.get();
        } catch (SdkException e) {
            return StageChecks.Check.fail(name, StageChecks.brief(e), "check the region, the credentials and their permissions");
        }
    }

    private void print(List<StageChecks.Check> results) {
        PrintWriter out = out();
        if (output.isText()) {
            Styles st = new Styles(output.colourOut());
            for (StageChecks.Check c : results) {
                String mark = switch (c.state()) {
                    case PASS -> st.pass("✓");
                    case FAIL -> st.fail("✗");
                    case SKIP -> st.dim("-");
                };
                out.println(mark + " " + c.name() + ": " + c.detail() + (c.hint() == null ? "" : " — " + c.hint()));
            }
            long failed = results.stream().filter(c -> c.state() == StageChecks.State.FAIL).count();
            out.println(failed == 0 ? "all checks passed" : failed + " check(s) failed");
        } else {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (StageChecks.Check c : results) {
                ObjectNode o = output.format() == OutputOptions.Format.jsonl ? Json.MAPPER.createObjectNode() : arr.addObject();
                o.put("check", c.name());
                o.put("status", c.state().name().toLowerCase(Locale.ROOT));
                o.put("detail", c.detail());
                o.put("hint", c.hint());
                if (output.format() == OutputOptions.Format.jsonl) {
                    out.println(Json.write(o));
                }
            }
            if (output.format() == OutputOptions.Format.json) {
                out.println(Json.write(arr));
            }
        }
        out.flush();
    }
}
