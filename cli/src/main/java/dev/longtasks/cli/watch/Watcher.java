package dev.longtasks.cli.watch;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.task.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Follows tasks until each ends, {@code --timeout} passes, or ({@code --fail-fast}) one fails.
 * Every poll reads all unfinished ids in one batch read.
 */
public final class Watcher {

    public record Settings(Duration interval, Duration timeout, Duration pendingWarning, boolean failFast) {
    }

    private final TaskBackend backend;
    private final Settings settings;
    private final WatchListener listener;

    public Watcher(TaskBackend backend, Settings settings, WatchListener listener) {
        this.backend = backend;
        this.settings = settings;
        this.listener = listener;
    }

    /** Outcomes in the order the ids were given. */
    public List<WatchOutcome> watch(List<String> ids) throws InterruptedException {
        long start = System.nanoTime();
        Map<String, WatchOutcome> outcomes = new LinkedHashMap<>();
        Map<String, TaskView> latest = new LinkedHashMap<>();
        Set<String> warned = new HashSet<>();
        List<String> open = new ArrayList<>(ids.stream().distinct().toList());
        PollSchedule schedule = new PollSchedule(settings.interval());
        boolean stop = false;
        try {
            while (!open.isEmpty() && !stop) {
                Map<String, TaskView> read = backend.getAll(open);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                boolean changed = false;
                for (String id : List.copyOf(open)) {
                    TaskView now = read.get(id);
                    TaskView before = latest.get(id);
                    if (now == null) {
                        end(new WatchOutcome.NotFound(id, before != null), elapsed, outcomes, open);
                        stop |= settings.failFast();
                        continue;
                    }
                    latest.put(id, now);
                    if (!sameState(now, before)) {
                        changed = true;
                        listener.changed(now, elapsed);
                    }
                    if (now.status().isTerminal()) {
                        WatchOutcome o = new WatchOutcome.Finished(now);
                        end(o, elapsed, outcomes, open);
                        stop |= settings.failFast() && o.exitCode() != 0;
                    } else if (now.status() == TaskStatus.PENDING
                            && elapsed.compareTo(settings.pendingWarning()) >= 0 && warned.add(id)) {
                        listener.stillPending(id, elapsed);
                    }
                }
                listener.polled(latest, elapsed);
                if (open.isEmpty() || stop) {
                    break;
                }
                Duration left = settings.timeout().minus(elapsed);
                if (left.isNegative() || left.isZero()) {
                    for (String id : List.copyOf(open)) {
                        end(new WatchOutcome.TimedOut(id, latest.get(id)), elapsed, outcomes, open);
                    }
                    break;
                }
                Duration pause = schedule.next(changed);
                Thread.sleep(pause.compareTo(left) < 0 ? pause : left);
            }
            for (String id : open) {
                outcomes.put(id, new WatchOutcome.Abandoned(id, latest.get(id)));
            }
        } finally {
            listener.done();
        }
        List<WatchOutcome> ordered = new ArrayList<>();
        for (String id : ids.stream().distinct().toList()) {
            ordered.add(outcomes.get(id));
        }
        return ordered;
    }

    /** What a watch compares between polls: a change of any of these is an event. */
    private static boolean sameState(TaskView now, TaskView before) {
        return before != null && now.status() == before.status() && now.attempt() == before.attempt()
                && now.cancelRequested() == before.cancelRequested() && Objects.equals(now.progress(), before.progress());
    }

    private void end(WatchOutcome o, Duration elapsed, Map<String, WatchOutcome> outcomes, List<String> open) {
        outcomes.put(o.taskId(), o);
        open.remove(o.taskId());
        listener.ended(o, elapsed);
    }
}
