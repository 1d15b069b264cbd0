package dev.longtasks.cli.commands;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.aws.StageNames;
import dev.longtasks.cli.dlq.FailedTask;
import dev.longtasks.cli.dlq.FailureQueue;
import dev.longtasks.cli.dlq.InvocationRecord;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A {@code dlq} command: where the failure queue is, and how much of it to read. */
@Command
abstract class FailureQueueCommand extends TargetedCommand {
    @Option(names = "--queue-url", paramLabel = "URL",
            description = "The failure queue (default: the ListenerFailureQueueUrl output of the stack long-running-tasks-<stage>).")
    String queueUrl;

    @Option(names = "--max", paramLabel = "N", defaultValue = "1000", description = "Read at most N records (default: ${DEFAULT-VALUE}).")
    int max;

    FailureQueue queue(AwsClients clients, String stage) {
        if (max < 1) {
            throw CliException.usage("--max " + max + " must be at least 1");
        }
        return FailureQueue.locate(clients, new StageNames(stage), queueUrl);
    }

    static List<FailedTask> tasks(List<FailureQueue.Message> messages) {
        return FailedTask.group(messages.stream().map(InvocationRecord::parse).toList());
    }

    void note(String line) {
        if (!output.quiet()) {
            err().println(line);
            err().flush();
        }
    }
}
