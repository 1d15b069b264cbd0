package dev.longtasks.cli.commands;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.dlq.FailedTask;
import dev.longtasks.cli.dlq.FailedTaskPrinter;
import dev.longtasks.cli.dlq.FailureQueue;
import dev.longtasks.cli.options.TargetOptions;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "list", sortOptions = false,
        description = {"List the failed tasks on the failure queue, one per task: its type, the listener's attempts,",
                "when its first and last record were written, and the error (from the record's responsePayload).",
                "Reading changes nothing: the records are handed back at once."},
        footer = {"", "Examples:", "  taskctl dlq list --stage prod --region eu-west-1",
                "  taskctl dlq list --stage prod -o jsonl | jq -r .task_id"})
public final class DlqListCommand extends FailureQueueCommand {
    @Override
    public Integer call() {
        TargetOptions.Aws aws = target.aws();
        try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
            FailureQueue queue = queue(clients, aws.stage());
            List<FailureQueue.Message> messages = queue.receiveAll(max);
            try {
                List<FailedTask> tasks = tasks(messages);
                FailedTaskPrinter.print(out(), output.format(), tasks);
                note(messages.isEmpty() ? "no records on " + queue.url()
                        : messages.size() + " record(s) for " + tasks.size() + " task(s) on " + queue.url());
            } finally {
                queue.release(messages);
            }
        }
        return ExitCodes.OK;
    }
}
