package dev.longtasks.cli.commands;

import picocli.CommandLine.Command;

@Command(name = "event", description = "Print synthetic events for use with other tools (sam, aws lambda invoke, curl).",
        subcommands = {EventSnsCommand.class})
public final class EventCommand {
}
