package dev.longtasks.cli.commands;

import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.options.VerbosityOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * A command that works on a stage or an HTTP API and prints data: the target, output and
 * verbosity options, in that order in {@code --help}, ahead of the command's own.
 */
@Command
abstract class TargetedCommand extends TaskctlCommand {
    @Mixin
    TargetOptions target;

    @Mixin
    OutputOptions output;

    @Mixin
    VerbosityOptions verbosity;
}
