package dev.longtasks.cli.listing;

import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.Backends;
import dev.longtasks.cli.backend.ListQuery;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.options.TargetOptions;
import dev.longtasks.cli.output.TaskPrinter;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code taskctl ls} does with its options: one page (and, where more match, the command for
 * the next one on stderr), every page ({@code --all}), or a live list ({@code --watch}).
 * {@code -o json} is the list API's own body, {@code -o jsonl} one task view per line.
 */
public final class Listing {
    private final TargetOptions target;
    private final OutputOptions output;
    private final PrintWriter out;
    private final PrintWriter err;
    /** The filter flags as typed, for the command a note suggests ("--status FAILED --since 1h "). */
    private final String filterFlags;

    public Listing(TargetOptions target, OutputOptions output, PrintWriter out, PrintWriter err, String filterFlags) {
        this.target = target;
        this.output = output;
        this.out = out;
        this.err = err;
        this.filterFlags = filterFlags;
    }

    /** One page, or with {@code all} every page after it. */
    public int print(ListQuery query, boolean all) {
        try (TaskBackend backend = Backends.open(target)) {
            TaskListView page = backend.list(query);
            if (all) {
                List<TaskView> tasks = new ArrayList<>(page.tasks());
                for (TaskListView p = page; p.nextCursor() != null; ) {
                    p = backend.list(query.withCursor(p.nextCursor()));
                    tasks.addAll(p.tasks());
                }
                page = new TaskListView(tasks, null, page.since());
            }
            write(page);
            if (page.nextCursor() != null && !output.quiet()) {
                err.println("taskctl: more tasks match; the next page: taskctl ls " + target.flags() + filterFlags
                        + "--cursor " + page.nextCursor() + " (or --all for every page)");
            }
            err.flush();
            return ExitCodes.OK;
        }
    }

    /** The newest page, live, until interrupted. */
    public int watch(ListQuery query, Duration interval) throws InterruptedException {
        ListWatch.Mode mode = output.format() == OutputOptions.Format.jsonl ? ListWatch.Mode.JSONL
                : output.colourOut() ? ListWatch.Mode.REDRAW : ListWatch.Mode.LINES;
        try (TaskBackend backend = Backends.open(target)) {
            return new ListWatch(backend, query, interval, mode, TaskPrinter.to(out, output),
                    "taskctl ls " + target.flags() + filterFlags).run(out);
        }
    }

    private void write(TaskListView page) {
        switch (output.format()) {
            case json -> out.println(Json.write(page));
            case jsonl -> page.tasks().forEach(t -> out.println(Json.write(t)));
            case text -> {
                if (!page.tasks().isEmpty()) {
                    TaskPrinter.to(out, output).print(page.tasks());
                } else if (!output.quiet()) {
                    err.println("taskctl: no tasks match (since " + page.since() + ")");
                }
            }
        }
        out.flush();
    }
}
