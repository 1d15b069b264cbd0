package dev.longtasks.cli.options;

import dev.longtasks.cli.CliEnvironment;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How results are printed: text for people, JSON/JSONL for scripts; colour only on a terminal. */
public final class OutputOptions {
    public enum Format { text, json, jsonl }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    @Option(names = "--no-color", description = "No colours (also when $NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "Print only data on stdout; no progress or notes on stderr.")
    boolean quiet;

    public Format format() {
        return format;
    }

    public boolean isText() {
        return format == Format.text;
    }

    public boolean quiet() {
        return quiet;
    }

    private boolean colourAllowed() {
        CliEnvironment env = CliEnvironment.of(mixee);
        return !noColor && env.get("NO_COLOR") == null && !"dumb".equals(env.get("TERM"));
    }

    /** Colour on stdout: only on a terminal, never with NO_COLOR or --no-color. */
    public boolean colourOut() {
        return colourAllowed() && CliEnvironment.of(mixee).stdoutIsTerminal();
    }

    /** Colour and redraws on stderr (watch's live line). */
    public boolean colourErr() {
        return colourAllowed() && CliEnvironment.of(mixee).stderrIsTerminal();
    }

    public boolean stderrIsTerminal() {
        return CliEnvironment.of(mixee).stderrIsTerminal();
    }
}
