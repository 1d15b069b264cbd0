package dev.longtasks.cli.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.cli.CliException;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads task data from a file, stdin ({@code -}) or {@code --data}, and checks it is JSON before
 * anything is written. Errors name the source, line and column, and exit with 2.
 */
public final class TaskInput {
    private TaskInput() {
    }

    public record Source(String name, String text) {
    }

    public static Source read(String file, String inlineData, Supplier<InputStream> stdin) {
        if (inlineData != null && file != null) {
            throw CliException.usage("give the task data either as FILE/- or with --data, not both");
        }
        if (inlineData != null) {
            return new Source("--data", inlineData);
        }
        if (file == null) {
            throw CliException.usage("no task data: pass a JSON file, `-` for stdin, or --data '{...}'");
        }
        if (file.equals("-")) {
            try {
                return new Source("stdin", new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw CliException.usage("cannot read stdin: " + e.getMessage());
            }
        }
        Path p = Path.of(file);
        try {
            if (Files.isDirectory(p)) {
                throw CliException.usage(file + " is a directory, not a JSON file");
            }
            return new Source(file, Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw CliException.usage("file not found: " + file + " — pass an existing JSON file, or `-` for stdin");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The whole source as one JSON value. */
    public static JsonNode single(Source s) {
        if (s.text().isBlank()) {
            throw CliException.usage("no task data in " + s.name() + ": it is empty");
        }
        return parse(s.name(), s.text(), 0);
    }

    /** One JSON value per non-blank line ({@code --jsonl}); every line is checked before any is sent. */
    public static List<JsonNode> lines(Source s) {
        List<JsonNode> out = new ArrayList<>();
        String[] lines = s.text().split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                out.add(parse(s.name(), lines[i], i + 1));
            }
        }
        if (out.isEmpty()) {
            throw CliException.usage("no task data in " + s.name() + ": --jsonl expects one JSON value per line");
        }
        return out;
    }

    /** Jackson's message without the source excerpt and marker positions it appends. */
    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int cut = m.indexOf(" (start marker at");
        m = cut > 0 ? m.substring(0, cut) : m;
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    private static JsonNode parse(String name, String text, int lineNo) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = lineNo > 0 ? " line " + lineNo + (loc == null ? "" : " column " + loc.getColumnNr())
                    : loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr();
            throw CliException.usage("invalid JSON in " + name + where + ": " + shortMessage(e)
                    + " — nothing was submitted");
        }
    }
}
