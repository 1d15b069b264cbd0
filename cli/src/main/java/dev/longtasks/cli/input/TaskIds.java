package dev.longtasks.cli.input;

import dev.longtasks.cli.CliException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Task ids from arguments or, with {@code -}, from stdin (one per line, as {@code submit} prints them). */
public final class TaskIds {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private TaskIds() {
    }

    public static String check(String id) {
        String t = id.trim();
        if (!UUID.matcher(t).matches()) {
            throw CliException.usage("'" + id + "' is not a task id: task ids are UUIDs as printed by `taskctl submit`");
        }
        return t.toLowerCase(Locale.ROOT);
    }

    public static List<String> resolve(List<String> args, Supplier<InputStream> stdin) {
        List<String> ids = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-")) {
                ids.addAll(readStdin(stdin));
            } else {
                ids.add(check(a));
            }
        }
        if (ids.isEmpty()) {
            throw CliException.usage("no task ids on stdin: pipe ids in, e.g. `taskctl submit ... | taskctl watch -`");
        }
        return ids;
    }

    private static List<String> readStdin(Supplier<InputStream> stdin) {
        List<String> ids = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stdin.get(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    ids.add(check(line));
                }
            }
        } catch (IOException e) {
            throw CliException.usage("cannot read task ids from stdin: " + e.getMessage());
        }
        return ids;
    }
}
