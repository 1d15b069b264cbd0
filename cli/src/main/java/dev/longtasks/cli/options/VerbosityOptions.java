package dev.longtasks.cli.options;

import picocli.CommandLine.Option;

/** {@code -v}: stack traces on errors and debug logs from the SDK and the service code. */
public final class VerbosityOptions {
    @Option(names = {"-v", "--verbose"}, description = "Show stack traces on errors and debug logs.")
    boolean verbose;

    public boolean verbose() {
        return verbose;
    }
}
