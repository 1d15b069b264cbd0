package dev.longtasks.cli.commands;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.input.TaskIds;
import dev.longtasks.cli.invoke.LocalInvoker;
import dev.longtasks.cli.invoke.RemoteInvoker;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.config.ServiceSettings.StoreKind;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "invoke", sortOptions = false,
        description = {"Run the listener on a synthetic SNS event, for debugging.",
                "--local: the real listener code in this process, no Docker; against the stage's store,",
                "         or fully offline with --store memory (the task is created in memory first).",
                "         Streams the handler's logs, prints the final record, exits like `watch`.",
                "--remote: invokes the deployed listener function (RequestResponse, LogType=Tail) on its",
                "         `snapstart` alias, the version the SNS subscription calls, and prints the decoded",
                "         log tail and the function error if any."},
        footer = {"", "Examples:",
                "  taskctl invoke --local --store memory examples/data.json",
                "  taskctl invoke --local --stage staging --task-id ID",
                "  taskctl invoke --remote --stage staging --task-id ID",
                "  taskctl invoke --remote --stage staging --task-id ID --qualifier '$LATEST'"})
public final class InvokeCommand extends TargetedCommand {
    static final class Mode {
        @Option(names = "--local", required = true, description = "Run the listener code in this process.")
        boolean local;

        @Option(names = "--remote", required = true, description = "Invoke the deployed listener function.")
        boolean remote;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--task-id", paramLabel = "ID", description = "An existing task to run.")
    String taskId;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", description = "--local: task data to create the task from first.")
    String file;

    @Option(names = "--data", paramLabel = "JSON", description = "--local: task data inline instead of FILE.")
    String data;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "example", description = "Task type (default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--store", paramLabel = "memory", description = "--local: `memory` runs fully offline on the in-memory store.")
    StoreKind store;

    @Option(names = "--function", paramLabel = "NAME", description = "--remote: listener function (default: long-running-tasks-<stage>-listener).")
    String function;

    @Option(names = "--qualifier", paramLabel = "ALIAS|VERSION",
            description = "--remote: what to invoke (default: " + StageNames.SNAPSTART_ALIAS + ", the SnapStart alias; "
                    + "'$LATEST' skips the snapshot and the alias's retry and failure-destination settings).")
    String qualifier;

    @Override
    public Integer call() throws Exception {
        if (mode.remote) {
            if (taskId == null || file != null || data != null || store != null) {
                throw CliException.usage("invoke --remote takes --task-id ID only (submit the task first with `taskctl submit`)");
            }
            TargetOptions.Aws aws = target.aws();
            RemoteInvoker.Target listener = RemoteInvoker.Target.of(
                    function != null ? function : new StageNames(aws.stage()).defaultListenerFunction(),
                    qualifier != null ? qualifier : StageNames.SNAPSTART_ALIAS);
            try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
                return RemoteInvoker.invoke(clients, aws.stage(), listener, TaskIds.check(taskId), type, out(), err());
            }
        }
        if (qualifier != null) {
            throw CliException.usage("--qualifier is for invoke --remote: --local runs the code of this taskctl");
        }
        return new LocalInvoker(target, output, environment(), out(), err())
                .invoke(new LocalInvoker.Request(taskId, file, data, type, store));
    }
}
