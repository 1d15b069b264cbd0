package dev.longtasks.cli.commands;

import dev.longtasks.cli.CliException;
import dev.longtasks.cli.backend.ListQuery;
import dev.longtasks.cli.listing.Listing;
import dev.longtasks.cli.options.DurationConverter;
import dev.longtasks.cli.options.OutputOptions;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ls", sortOptions = false,
        description = {"List tasks, newest first, from the list API (or a stage's store directly).",
                "One page of --limit tasks; --all follows every page. --watch keeps the list live."},
        footer = {"", "Examples:",
                "  taskctl ls --stage local --status running,pending",
                "  taskctl ls --stage staging --status failed --since 1h -o json | jq '.tasks[].error'",
                "  taskctl ls --api-url http://localhost:4000 --all -o jsonl | wc -l",
                "  taskctl ls --stage local --watch"})
public final class LsCommand extends TargetedCommand {
    /** The page size of --all when --limit is not given: the API's maximum, fewest round trips. */
    static final int ALL_PAGE_SIZE = 500;

    @Option(names = {"-s", "--status"}, split = ",", paramLabel = "STATUS",
            description = "Only these statuses, comma-separated: PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED (any case).")
    List<String> statuses;

    @Option(names = {"-t", "--type"}, split = ",", paramLabel = "TYPE", description = "Only these task types, comma-separated.")
    List<String> types;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only tasks created since: a duration back (90s, 15m, 1h30m) or an ISO-8601 instant. Default: the TTL window.")
    String since;

    @Option(names = {"-n", "--limit"}, paramLabel = "N",
            description = "Tasks per page, 1 to 500 (default: 50; with --all, 500).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR",
            description = "Continue after a previous page (the cursor it printed), with the same filters.")
    String cursor;

    @Option(names = "--all", description = "Follow every page to the last one.")
    boolean all;

    @Option(names = {"-w", "--watch"}, description = "Keep the newest page live: redrawn on a terminal, one line per "
            + "change otherwise (-o jsonl: one task view per change). Ctrl-C stops.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
            description = "With --watch: longest pause between polls; fast after a change (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() throws Exception {
        ListQuery query = new ListQuery(statuses, types, since, limit != null ? limit : all ? ALL_PAGE_SIZE : null, cursor);
        Listing listing = new Listing(target, output, out(), err(), filterFlags());
        if (watch) {
            checkWatchOptions();
            return listing.watch(query, interval);
        }
        return listing.print(query, all);
    }

    private void checkWatchOptions() {
        if (all || cursor != null) {
            throw CliException.usage("--watch follows the newest page; drop --all and --cursor (raise --limit to see more)");
        }
        if (output.format() == OutputOptions.Format.json) {
            throw CliException.usage("--watch prints one record per change: use -o jsonl (or text), not -o json");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw CliException.usage("--interval must be a positive duration");
        }
    }

    /** The filters as flags, for a message that suggests the next command ("--status FAILED --since 1h "). */
    private String filterFlags() {
        StringBuilder sb = new StringBuilder();
        if (statuses != null && !statuses.isEmpty()) {
            sb.append("--status ").append(String.join(",", statuses)).append(' ');
        }
        if (types != null && !types.isEmpty()) {
            sb.append("--type ").append(String.join(",", types)).append(' ');
        }
        if (since != null) {
            sb.append("--since ").append(since).append(' ');
        }
        if (limit != null) {
            sb.append("--limit ").append(limit).append(' ');
        }
        return sb.toString();
    }
}
