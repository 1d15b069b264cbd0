package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskCursor;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link TaskListing}, run against every store that lists: order, filters, paging
 * without gaps or repeats while tasks change state between pages, expiry, and counts. A subclass
 * only says how to build its store (which must also be a {@link TaskListing}) on a given clock
 * with a one-hour TTL. Thousands of tasks are created with {@link TaskStore#createAll}, so stores
 * that batch writes stay quick.
 */
public abstract class TaskListingContract {
    protected static final Duration TTL = Duration.ofHours(1);
    protected static final long LEASE_MS = 30_000;
    private static final Instant LONG_AGO = Instant.EPOCH;

    protected MutableClock clock;
    protected TaskStore store;
    protected TaskListing listing;
    /** Fixed per test class run, so a failure can be replayed. */
    private final Random random = new Random(13);

    /** A fresh, empty store on {@code clock} whose records live {@link #TTL} after their last write. */
    protected abstract TaskStore newStore(Clock clock);

    @BeforeEach
    void openStore() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store = newStore(clock);
        assertThat(store).as("the store under test lists").isInstanceOf(TaskListing.class);
        listing = (TaskListing) store;
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** {@code n} new PENDING tasks of {@code type}, created {@code spacing} apart ending now, stored in one batch. */
    protected List<Task> createTasks(int n, String type, Duration spacing) {
        List<Task> tasks = new ArrayList<>(n);
        Instant now = clock.instant();
        for (int i = n - 1; i >= 0; i--) {
            tasks.add(Task.pending(UUID.randomUUID().toString(), type, "{\"i\":" + i + "}",
                    now.minus(spacing.multipliedBy(i)), TTL.toSeconds()));
        }
        for (int from = 0; from < n; from += 500) {
            store.createAll(tasks.subList(from, Math.min(n, from + 500)));
        }
        return tasks;
    }

    protected Task createAt(Instant at, String type) {
        Task t = Task.pending(UUID.randomUUID().toString(), type, "{}", at, TTL.toSeconds());
        store.create(t);
        return t;
    }

    /** The ids of {@code tasks} in listing order: newest first, ties by id descending. */
    protected static List<String> newestFirst(List<Task> tasks) {
        List<TaskCursor> positions = new ArrayList<>(tasks.stream().map(TaskCursor::of).toList());
        Collections.sort(positions);
        return positions.stream().map(TaskCursor::taskId).toList();
    }

    protected static List<String> ids(TaskPage page) {
        return page.tasks().stream().map(Task::taskId).toList();
    }

    /** Every page of {@code query}, running {@code between} after each page but the last. */
    protected List<TaskPage> allPages(TaskQuery query, Consumer<Integer> between) {
        List<TaskPage> pages = new ArrayList<>();
        TaskPage page = listing.list(query);
        pages.add(page);
        while (page.hasMore()) {
            between.accept(pages.size());
            page = listing.list(query.after(page.next()));
            pages.add(page);
            assertThat(pages).as("paging ends").hasSizeLessThan(10_000);
        }
        return pages;
    }

    protected static List<String> concat(List<TaskPage> pages) {
        return pages.stream().flatMap(p -> ids(p).stream()).toList();
    }

    private Task claim(String id) {
        return store.claim(id, LEASE_MS).orElseThrow();
    }

    @Nested
    class Order {
        @Test
        void tasks_come_newest_first_with_ties_broken_by_task_id_descending() {
            List<Task> all = new ArrayList<>();
            Instant base = clock.instant();
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 3; j++) {
                    all.add(Task.pending(UUID.randomUUID().toString(), "example", "{}", base.minusMillis(i * 7L), TTL.toSeconds()));
                }
            }
            List<Task> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, random);
            store.createAll(shuffled);

            TaskPage page = listing.list(TaskQuery.since(LONG_AGO).withLimit(TaskQuery.MAX_LIMIT));

            assertThat(ids(page)).containsExactlyElementsOf(newestFirst(all));
            assertThat(page.next()).isNull();
        }

        @Test
        void a_listed_task_reads_as_the_store_has_it_now() {
            Task t = createAt(clock.instant(), "example");
            clock.advance(Duration.ofSeconds(1));
            Task running = claim(t.taskId());

            assertThat(listing.list(TaskQuery.since(LONG_AGO)).tasks()).containsExactly(running);
        }
    }

    @Nested
    class Filters {
        @Test
        void status_type_and_since_select_exactly_the_matching_tasks() {
            List<Task> examples = createTasks(300, "example", Duration.ofMillis(10));
            List<Task> noops = createTasks(200, "noop", Duration.ofMillis(15));
            clock.advance(Duration.ofSeconds(1));
            List<Task> all = new ArrayList<>(examples);
            all.addAll(noops);
            Map<TaskStatus, List<Task>> byStatus = mixStatuses(all);

            TaskQuery failedOrRunning = TaskQuery.since(LONG_AGO).withStatuses(Set.of(TaskStatus.RUNNING, TaskStatus.FAILED))
                    .withLimit(TaskQuery.MAX_LIMIT);
            List<Task> expected = new ArrayList<>(byStatus.get(TaskStatus.RUNNING));
            expected.addAll(byStatus.get(TaskStatus.FAILED));
            assertThat(concat(allPages(failedOrRunning, n -> { }))).containsExactlyElementsOf(newestFirst(expected));

            List<String> noopIds = noops.stream().map(Task::taskId).toList();
            List<String> cancelledNoops = byStatus.get(TaskStatus.CANCELLED).stream().map(Task::taskId).filter(noopIds::contains).toList();
            TaskQuery cancelledNoop = TaskQuery.since(LONG_AGO).withStatuses(Set.of(TaskStatus.CANCELLED)).withTypes(Set.of("noop"));
            assertThat(new HashSet<>(concat(allPages(cancelledNoop, n -> { })))).isEqualTo(new HashSet<>(cancelledNoops));

            Instant since = examples.get(100).createdAt();
            List<Task> recentExamples = examples.subList(100, examples.size());
            TaskQuery sinceQuery = TaskQuery.since(since).withTypes(Set.of("example")).withLimit(TaskQuery.MAX_LIMIT);
            List<String> listed = concat(allPages(sinceQuery, n -> { }));
            assertThat(listed).as("since is inclusive").containsExactlyElementsOf(newestFirst(recentExamples));
        }

        @Test
        void a_filter_nothing_matches_gives_one_empty_last_page() {
            createTasks(20, "example", Duration.ofMillis(1));

            TaskPage page = listing.list(TaskQuery.since(LONG_AGO).withTypes(Set.of("no-such-type")));

            assertThat(page.tasks()).isEmpty();
            assertThat(page.next()).isNull();
        }

        @Test
        void since_in_the_future_lists_nothing() {
            createTasks(5, "example", Duration.ofMillis(1));

            assertThat(listing.list(TaskQuery.since(clock.instant().plusSeconds(1))).tasks()).isEmpty();
        }
    }

    @Nested
    class Paging {
        @Test
        void the_pages_of_thousands_of_tasks_hold_each_task_once_in_order() {
            List<Task> all = createTasks(2_500, "example", Duration.ofMillis(3));

            List<TaskPage> pages = allPages(TaskQuery.since(LONG_AGO).withLimit(97), n -> { });

            assertThat(concat(pages)).containsExactlyElementsOf(newestFirst(all));
            assertThat(pages).hasSize(2_500 / 97 + 1);
            pages.subList(0, pages.size() - 1).forEach(p -> assertThat(p.tasks()).hasSize(97));
            assertThat(pages.getLast().next()).isNull();
        }

        @Test
        void a_page_that_ends_exactly_at_the_last_task_has_no_next() {
            createTasks(40, "example", Duration.ofMillis(1));

            TaskPage first = listing.list(TaskQuery.since(LONG_AGO).withLimit(20));
            TaskPage second = listing.list(TaskQuery.since(LONG_AGO).withLimit(20).after(first.next()));

            assertThat(first.next()).isNotNull();
            assertThat(second.tasks()).hasSize(20);
            assertThat(second.next()).as("no task follows").isNull();
        }

        @Test
        void a_limit_of_one_pages_one_task_at_a_time() {
            List<Task> all = createTasks(7, "example", Duration.ZERO);

            List<TaskPage> pages = allPages(TaskQuery.since(LONG_AGO).withLimit(1), n -> { });

            assertThat(pages).hasSize(7).allSatisfy(p -> assertThat(p.tasks()).hasSize(1));
            assertThat(concat(pages)).containsExactlyElementsOf(newestFirst(all));
        }

        @Test
        void tasks_that_change_state_between_pages_are_neither_repeated_nor_skipped() {
            List<Task> all = createTasks(2_000, "example", Duration.ofMillis(2));
            List<String> order = newestFirst(all);

            List<TaskPage> pages = allPages(TaskQuery.since(LONG_AGO).withLimit(150), n -> {
                clock.advance(Duration.ofMillis(50));
                changeSomeStates(all, 60);
            });

            assertThat(concat(pages)).containsExactlyElementsOf(order);
        }

        @Test
        void with_a_status_filter_every_task_that_kept_matching_is_seen_once_and_none_that_never_matched() {
            List<Task> all = createTasks(2_000, "example", Duration.ofMillis(2));
            Set<String> leftPending = new HashSet<>();

            List<TaskPage> pages = allPages(TaskQuery.since(LONG_AGO).withStatuses(Set.of(TaskStatus.PENDING)).withLimit(120),
                    n -> leftPending.addAll(changeSomeStates(all, 80)));

            List<String> seen = concat(pages);
            assertThat(new LinkedHashSet<>(seen)).as("no repeats").hasSize(seen.size());
            assertThat(pages).allSatisfy(p -> assertThat(p.tasks()).allMatch(t -> t.status() == TaskStatus.PENDING));
            Set<String> stayedPending = new HashSet<>(all.stream().map(Task::taskId).toList());
            stayedPending.removeAll(leftPending);
            assertThat(seen).containsAll(stayedPending);
            assertThat(seen).isSubsetOf(newestFirst(all));
            assertThat(leftPending).as("the test changed states").isNotEmpty();
        }

        @Test
        void tasks_created_after_the_first_page_are_not_in_later_pages() {
            List<Task> old = createTasks(300, "example", Duration.ofMillis(5));
            Set<String> newer = new HashSet<>();

            List<TaskPage> pages = allPages(TaskQuery.since(LONG_AGO).withLimit(50), n -> {
                clock.advance(Duration.ofMillis(10));
                newer.add(createAt(clock.instant(), "example").taskId());
            });

            assertThat(concat(pages)).containsExactlyElementsOf(newestFirst(old)).doesNotContainAnyElementsOf(newer);
            assertThat(newer).hasSize(pages.size() - 1);
        }

        @Test
        void a_cursor_whose_task_expired_still_continues_after_its_position() {
            List<Task> older = createTasks(10, "example", Duration.ofMillis(1));
            clock.advance(Duration.ofMinutes(30));
            List<Task> newer = createTasks(10, "example", Duration.ofMillis(1));
            TaskPage first = listing.list(TaskQuery.since(LONG_AGO).withLimit(15));
            clock.advance(Duration.ofMinutes(31)); // the older ten expire; the newer ones live on
            Task cursorTask = older.get(older.size() - 5);
            assertThat(first.next()).isEqualTo(TaskCursor.of(cursorTask));

            TaskPage second = listing.list(TaskQuery.since(LONG_AGO).withLimit(15).after(first.next()));

            assertThat(ids(first)).containsExactlyElementsOf(newestFirst(concatLists(newer, older)).subList(0, 15));
            assertThat(second.tasks()).as("only expired tasks followed").isEmpty();
            assertThat(second.next()).isNull();
        }
    }

    @Nested
    class Expiry {
        @Test
        void expired_tasks_are_left_out_of_pages_and_counts() {
            List<Task> old = createTasks(500, "example", Duration.ofMillis(1));
            clock.advance(Duration.ofMinutes(40));
            List<Task> recent = createTasks(400, "noop", Duration.ofMillis(1));
            clock.advance(Duration.ofMinutes(25)); // the old ones' TTL has passed, not the recent ones'

            List<String> listed = concat(allPages(TaskQuery.since(LONG_AGO).withLimit(TaskQuery.MAX_LIMIT), n -> { }));
            TaskStats stats = listing.stats(LONG_AGO);

            assertThat(listed).containsExactlyElementsOf(newestFirst(recent)).doesNotContainAnyElementsOf(
                    old.stream().map(Task::taskId).toList());
            assertThat(stats.total()).isEqualTo(400);
            assertThat(stats.byType()).containsOnlyKeys("noop");
            assertThat(stats.oldestPending().taskId()).isEqualTo(recent.getFirst().taskId());
        }

        @Test
        void a_task_kept_alive_by_its_writes_is_listed_past_its_first_ttl() {
            Task t = createAt(clock.instant(), "example");
            clock.advance(Duration.ofMinutes(50));
            claim(t.taskId());
            clock.advance(Duration.ofMinutes(50));
            Task running = store.progress(t.taskId(), 1, null, LEASE_MS).orElseThrow();

            assertThat(listing.list(TaskQuery.since(LONG_AGO)).tasks()).containsExactly(running);
        }

        @Test
        void an_expired_id_created_again_is_listed_once_at_its_new_position() {
            Task first = createAt(clock.instant(), "example");
            clock.advance(TTL.plusSeconds(2));
            Task again = createAt(clock.instant(), "noop");
            assertThat(again.taskId()).isNotEqualTo(first.taskId());
            Task reused = Task.pending(first.taskId(), "noop", "{}", clock.instant().plusMillis(1), TTL.toSeconds());
            store.create(reused);

            TaskPage page = listing.list(TaskQuery.since(LONG_AGO));

            assertThat(page.tasks()).containsExactly(reused, again);
        }
    }

    @Nested
    class Stats {
        @Test
        void counts_by_type_and_status_cover_the_tasks_created_since() {
            List<Task> before = createTasks(30, "example", Duration.ofMillis(1));
            clock.advance(Duration.ofMinutes(5));
            Instant since = clock.instant();
            List<Task> examples = createTasks(120, "example", Duration.ZERO);
            List<Task> noops = createTasks(80, "noop", Duration.ZERO);
            clock.advance(Duration.ofSeconds(1));
            List<Task> counted = concatLists(examples, noops);
            Map<TaskStatus, List<Task>> byStatus = mixStatuses(counted);
            mixStatuses(before);

            TaskStats stats = listing.stats(since);

            assertThat(stats.since()).isEqualTo(since);
            assertThat(stats.total()).isEqualTo(200);
            assertThat(stats.byType()).containsExactlyInAnyOrderEntriesOf(Map.of("example", 120L, "noop", 80L));
            for (TaskStatus s : TaskStatus.values()) {
                assertThat(stats.byStatus().get(s)).as("%s", s).isEqualTo(byStatus.get(s).size());
                long examplesInS = byStatus.get(s).stream().filter(t -> t.taskType().equals("example")).count();
                assertThat(stats.countsByType().get("example").get(s)).as("example %s", s).isEqualTo(examplesInS);
            }
        }

        @Test
        void every_status_is_counted_even_at_zero_and_an_empty_store_has_no_oldest_pending() {
            TaskStats empty = listing.stats(LONG_AGO);
            createAt(clock.instant(), "example");

            TaskStats one = listing.stats(LONG_AGO);

            assertThat(empty.total()).isZero();
            assertThat(empty.byStatus()).hasSize(TaskStatus.values().length).allSatisfy((s, n) -> assertThat(n).isZero());
            assertThat(empty.oldestPending()).isNull();
            assertThat(one.countsByType().get("example")).containsEntry(TaskStatus.PENDING, 1L).containsEntry(TaskStatus.FAILED, 0L);
        }

        @Test
        void the_oldest_pending_task_is_found_whatever_since_says_and_skips_tasks_that_left_pending() {
            Task oldest = createAt(clock.instant(), "example");
            Task second = createAt(clock.instant().plusMillis(5), "noop");
            clock.advance(Duration.ofMinutes(20));
            createTasks(50, "example", Duration.ofMillis(1));
            claim(oldest.taskId());

            TaskStats stats = listing.stats(clock.instant().minusSeconds(1));

            assertThat(stats.oldestPending()).isEqualTo(TaskStats.OldestPending.of(second));
            assertThat(stats.total()).isEqualTo(50);
            store.cancel(second.taskId());
            assertThat(listing.stats(LONG_AGO).oldestPending().createdAt()).isAfter(second.createdAt());
        }
    }

    /**
     * Moves a share of {@code tasks} on: about a quarter stay PENDING, the rest are claimed, and of
     * those some finish SUCCEEDED or FAILED, and some PENDING ones are cancelled. Returns the tasks
     * in each status afterwards.
     */
    protected Map<TaskStatus, List<Task>> mixStatuses(List<Task> tasks) {
        Map<TaskStatus, List<Task>> out = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            out.put(s, new ArrayList<>());
        }
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            TaskStatus s = TaskStatus.values()[i % TaskStatus.values().length];
            switch (s) {
                case PENDING -> { }
                case RUNNING -> claim(t.taskId());
                case SUCCEEDED -> store.finish(t.taskId(), claim(t.taskId()).attempt(), s, "{}", null).orElseThrow();
                case FAILED -> store.finish(t.taskId(), claim(t.taskId()).attempt(), s, null,
                        new TaskError("Boom", "failed on purpose")).orElseThrow();
                case CANCELLED -> store.cancel(t.taskId());
            }
            out.get(s).add(t);
        }
        return out;
    }

    /** Moves {@code n} random tasks one step on (claim a PENDING one, finish or cancel another); returns the ids that left PENDING. */
    private Set<String> changeSomeStates(List<Task> tasks, int n) {
        Set<String> leftPending = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Task t = tasks.get(random.nextInt(tasks.size()));
            Task now = store.get(t.taskId()).orElseThrow();
            switch (now.status()) {
                case PENDING -> {
                    if (random.nextBoolean()) {
                        claim(t.taskId());
                    } else {
                        store.cancel(t.taskId());
                    }
                    leftPending.add(t.taskId());
                }
                case RUNNING -> {
                    if (random.nextBoolean()) {
                        store.finish(t.taskId(), now.attempt(), TaskStatus.SUCCEEDED, "{}", null);
                    } else {
                        store.finish(t.taskId(), now.attempt(), TaskStatus.FAILED, null, new TaskError("Boom", "on purpose"));
                    }
                }
                default -> { }
            }
        }
        return leftPending;
    }

    private static List<Task> concatLists(List<Task> a, List<Task> b) {
        List<Task> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
