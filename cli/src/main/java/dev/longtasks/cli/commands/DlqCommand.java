package dev.longtasks.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dlq", description = {"The listener's failed events: the invocation records Lambda puts on the stage's",
        "on-failure destination (the SQS queue long-running-tasks-<stage>-listener-failures) after the",
        "listener failed an event and Lambda's two retries failed too."},
        subcommands = {DlqListCommand.class, DlqRedriveCommand.class, DlqPurgeCommand.class})
public final class DlqCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
