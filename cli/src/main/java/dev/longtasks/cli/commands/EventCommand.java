package dev.longtasks.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "event", description = "Print synthetic events for use with other tools (sam, aws lambda invoke, curl).",
        subcommands = {EventSnsCommand.class})
public final class EventCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
