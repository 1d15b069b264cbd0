package dev.longtasks.cli.output;

import dev.longtasks.task.TaskStatus;
import org.fusesource.jansi.Ansi;

/** Colours for the state column, through jansi; a no-op when colour is off. */
public record Styles(boolean colour) {
    public static final Styles PLAIN = new Styles(false);

    public String status(TaskStatus s, String text) {
        if (!colour || s == null) {
            return text;
        }
        Ansi.Color c = switch (s) {
            case PENDING -> Ansi.Color.YELLOW;
            case RUNNING -> Ansi.Color.CYAN;
            case SUCCEEDED -> Ansi.Color.GREEN;
            case FAILED -> Ansi.Color.RED;
            case CANCELLED -> Ansi.Color.MAGENTA;
        };
        return Ansi.ansi().fg(c).bold().a(text).reset().toString();
    }

    public String pass(String text) {
        return colour ? Ansi.ansi().fg(Ansi.Color.GREEN).a(text).reset().toString() : text;
    }

    public String fail(String text) {
        return colour ? Ansi.ansi().fg(Ansi.Color.RED).bold().a(text).reset().toString() : text;
    }

    public String dim(String text) {
        return colour ? Ansi.ansi().fgBrightBlack().a(text).reset().toString() : text;
    }
}
