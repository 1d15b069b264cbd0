package dev.longtasks.cli.commands;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.aws.StageEnvironment;
import dev.longtasks.cli.dlq.FailedTask;
import dev.longtasks.cli.dlq.FailedTaskPrinter;
import dev.longtasks.cli.dlq.FailureQueue;
import dev.longtasks.cli.options.TargetOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "purge", sortOptions = false,
        description = {"Delete the records on the failure queue without republishing anything: prints them (as `dlq list`",
                "does), asks for confirmation, then deletes exactly those. Records that arrive meanwhile stay.",
                "Without a terminal to ask on, --yes is required."},
        footer = {"", "Examples:", "  taskctl dlq purge --stage staging", "  taskctl dlq purge --stage staging --yes -o json"})
public final class DlqPurgeCommand extends FailureQueueCommand {
    @Option(names = {"-y", "--yes"}, description = "Delete without asking.")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        TargetOptions.Aws aws = target.aws();
        try (AwsClients clients = StageEnvironment.clients(aws, target.environment())) {
            FailureQueue queue = queue(clients, aws.stage());
            List<FailureQueue.Message> messages = queue.receiveAll(max);
            boolean deleted = false;
            try {
                if (messages.isEmpty()) {
                    note("no records on " + queue.url() + "; nothing to delete");
                    return ExitCodes.OK;
                }
                List<FailedTask> tasks = tasks(messages);
                if (!yes && !environment().stdinIsTerminal()) {
                    throw CliException.usage("dlq purge would delete " + messages.size() + " record(s) and there is no "
                            + "terminal to confirm on — pass --yes; nothing was deleted");
                }
                FailedTaskPrinter.print(out(), output.format(), tasks);
                if (!yes && !confirmed(messages.size(), tasks.size(), queue.url())) {
                    note("nothing was deleted");
                    return ExitCodes.OK;
                }
                queue.delete(messages);
                deleted = true;
                note("deleted " + messages.size() + " record(s) for " + tasks.size() + " task(s) from " + queue.url());
                return ExitCodes.OK;
            } finally {
                if (!deleted) {
                    queue.release(messages);
                }
            }
        }
    }

    private boolean confirmed(int records, int tasks, String url) throws IOException {
        err().print("delete these " + records + " record(s) for " + tasks + " task(s) from " + url + "? [y/N] ");
        err().flush();
        String answer = new BufferedReader(new InputStreamReader(environment().stdin().get(), StandardCharsets.UTF_8)).readLine();
        return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }
}
