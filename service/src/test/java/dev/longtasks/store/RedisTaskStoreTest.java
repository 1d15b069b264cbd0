package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.testing.LocalServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** What only the Redis store has: its settings, its errors, native expiry and the script cache. */
class RedisTaskStoreTest {
    private final String prefix = "longtasks-test-" + UUID.randomUUID() + ":";

    @AfterEach
    void deleteKeys() {
        try {
            RedisKeys.deleteAll(LocalServices.redisUrl(), prefix);
        } catch (JedisConnectionException unreachable) {
            // The test itself was skipped or has failed with the reason; nothing was written.
        }
    }

    private RedisTaskStore store() {
        LocalServices.requireRedis();
        return RedisTaskStore.builder().url(LocalServices.redisUrl()).keyPrefix(prefix).build();
    }

    @Nested
    class Settings {
        @Test
        void a_url_that_is_not_redis_is_refused_by_name() {
            assertThatThrownBy(() -> RedisTaskStore.builder().url("http://localhost:6379").build())
                    .hasMessage("REDIS_URL=http://localhost:6379 is not a Redis URL; use redis://host:port[/db]");
        }

        @Test
        void an_empty_key_prefix_is_refused() {
            assertThatThrownBy(() -> RedisTaskStore.builder().keyPrefix("").build())
                    .hasMessageContaining("keyPrefix must be non-empty");
        }

        @Test
        void a_zero_timeout_or_pool_size_is_refused() {
            assertThatThrownBy(() -> RedisTaskStore.builder().connectTimeout(Duration.ZERO).build())
                    .hasMessageContaining("connectTimeout must be positive");
            assertThatThrownBy(() -> RedisTaskStore.builder().maxConnections(0).build())
                    .hasMessageContaining("maxConnections must be positive");
        }

        @Test
        void an_unreachable_redis_fails_at_build_naming_host_and_port() throws IOException {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            int closedPort = port;
            assertThatThrownBy(() -> RedisTaskStore.builder().url("redis://127.0.0.1:" + closedPort)
                    .connectTimeout(Duration.ofMillis(500)).build())
                    .isInstanceOf(TaskStoreException.class)
                    .hasMessageStartingWith("Redis at 127.0.0.1:" + closedPort + " is unreachable");
        }
    }

    @Nested
    class Server {
        @Test
        void every_write_sets_native_expiry_to_the_ttl() {
            try (RedisTaskStore store = store(); Jedis j = RedisKeys.connect(LocalServices.redisUrl())) {
                Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", Clock.systemUTC().instant(), 3600);
                store.create(t);
                String key = prefix + "task:" + t.taskId();
                j.expire(key, 10);
                store.claim(t.taskId(), 1000).orElseThrow();
                assertThat(j.ttl(key)).isGreaterThan(3000);
            }
        }

        @Test
        void scripts_still_run_after_the_server_forgot_them() {
            try (RedisTaskStore store = store(); Jedis j = RedisKeys.connect(LocalServices.redisUrl())) {
                Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", Clock.systemUTC().instant(), 3600);
                store.create(t);
                j.scriptFlush();
                assertThat(store.claim(t.taskId(), 1000)).isPresent();
                j.scriptFlush();
                Task u = Task.pending(UUID.randomUUID().toString(), "noop", "{}", Clock.systemUTC().instant(), 3600);
                store.createAll(List.of(u));
                assertThat(store.get(u.taskId())).contains(u);
            }
        }

        @Test
        void a_batch_with_a_taken_id_is_reported() {
            try (RedisTaskStore store = store()) {
                Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", Clock.systemUTC().instant(), 3600);
                store.create(t);
                assertThatThrownBy(() -> store.createAll(List.of(t)))
                        .isInstanceOf(TaskAlreadyExistsException.class);
            }
        }
    }

    @Nested
    class Open_index_and_errors {
        @Test
        void the_sorted_set_holds_a_task_exactly_while_it_is_open() {
            try (RedisTaskStore store = store(); Jedis j = RedisKeys.connect(LocalServices.redisUrl())) {
                Instant now = Clock.systemUTC().instant();
                Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", now, 3600).withDueAt(now.toEpochMilli() + 60_000);
                store.create(t);
                assertThat(j.zscore(prefix + "open", t.taskId())).isEqualTo((double) t.dueAt());
                Task c = store.claim(t.taskId(), 30_000).orElseThrow();
                assertThat(j.zscore(prefix + "open", t.taskId())).isEqualTo((double) c.leaseUntil());
                store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
                assertThat(j.zscore(prefix + "open", t.taskId())).isNotNull();
                assertThat(store.markCompletionSent(t.taskId())).isTrue();
                assertThat(j.zscore(prefix + "open", t.taskId())).isNull();
                assertThat(j.hexists(prefix + "task:" + t.taskId(), "due_at")).isFalse();
            }
        }

        @Test
        void a_key_of_the_wrong_type_is_a_non_retryable_error() {
            try (RedisTaskStore store = store(); Jedis j = RedisKeys.connect(LocalServices.redisUrl())) {
                String id = UUID.randomUUID().toString();
                j.set(prefix + "task:" + id, "not a hash");
                assertThatThrownBy(() -> store.claim(id, 1000))
                        .isInstanceOfSatisfying(TaskStoreException.class, e -> assertThat(e.retryable()).isFalse())
                        .hasMessageContaining("WRONGTYPE");
            }
        }

        @Test
        void a_hash_with_a_malformed_field_is_a_non_retryable_error_naming_the_task_and_field() {
            try (RedisTaskStore store = store(); Jedis j = RedisKeys.connect(LocalServices.redisUrl())) {
                Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", Clock.systemUTC().instant(), 3600);
                store.create(t);
                j.hset(prefix + "task:" + t.taskId(), "attempt", "two");
                assertThatThrownBy(() -> store.get(t.taskId()))
                        .isInstanceOfSatisfying(TaskStoreException.class, e -> assertThat(e.retryable()).isFalse())
                        .hasMessage("task " + t.taskId() + " cannot be read: field attempt holds 'two'");
            }
        }

        @Test
        void a_member_whose_hash_expired_is_removed_when_found() {
            try (RedisTaskStore store = store(); Jedis j = RedisKeys.connect(LocalServices.redisUrl())) {
                Instant now = Clock.systemUTC().instant();
                Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", now, 3600).withDueAt(now.toEpochMilli());
                store.create(t);
                j.del(prefix + "task:" + t.taskId()); // what Redis's own expiry does
                assertThat(store.dueTasks(now, 10)).contains(t.taskId());
                store.dropFromIndex(t.taskId());
                assertThat(store.dueTasks(now, 10)).doesNotContain(t.taskId());
            }
        }
    }
}
