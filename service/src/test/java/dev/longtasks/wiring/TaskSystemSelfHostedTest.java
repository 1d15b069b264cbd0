package dev.longtasks.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.events.RabbitMqEventBus;
import dev.longtasks.json.Json;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.LocalServices;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** TASKS_STORE=redis and TASKS_BUS=rabbitmq assembled by TaskSystem, as the local server and workers do. */
class TaskSystemSelfHostedTest {
    private final String run = "longtasks-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void environment() {
        LocalServices.requireRedis();
        LocalServices.requireRabbitMq();
        env.putAll(LocalServices.selfHostedEnv(run, 4));
    }

    @AfterEach
    void cleanUp() throws Exception {
        LocalServices.deleteSelfHosted(run);
    }

    private TaskSystem start(String role) {
        env.put("TASKS_ROLE", role);
        return TaskSystem.start(ServiceSettings.fromEnv(env));
    }

    @Nested
    class Roles {
        @Test
        void role_all_stores_in_redis_and_runs_through_rabbitmq() throws Exception {
            try (TaskSystem system = start("all")) {
                assertThat(system.store()).isInstanceOf(RedisTaskStore.class);
                assertThat(system.publisher()).isInstanceOf(RabbitMqEventBus.class);
                String id = system.service().submit("noop", Json.MAPPER.createObjectNode(), null).taskId();
                Eventually.await("the task to succeed", Duration.ofSeconds(30),
                        () -> system.service().get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
            }
        }

        @Test
        void an_api_process_only_submits_and_a_worker_process_runs_the_task() throws Exception {
            try (TaskSystem api = start("api")) {
                String id = api.service().submit("noop", Json.MAPPER.createObjectNode(), null).taskId();
                assertThat(api.service().get(id).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
                try (TaskSystem worker = start("worker")) {
                    assertThat(worker.settings().role().serves()).isFalse();
                    Eventually.await("the worker to run the task", Duration.ofSeconds(30),
                            () -> api.service().get(id).orElseThrow().status() == TaskStatus.SUCCEEDED);
                }
            }
        }
    }

    @Nested
    class Errors {
        @Test
        void an_unreachable_redis_is_a_configuration_error_naming_host_and_port() {
            env.put("REDIS_URL", "redis://127.0.0.1:1");
            assertThatThrownBy(() -> start("all"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("TASKS_STORE=redis: Redis at 127.0.0.1:1 is unreachable");
        }

        @Test
        void an_unreachable_broker_is_a_configuration_error_naming_host_and_port() {
            env.put("AMQP_URL", "amqp://guest:guest@127.0.0.1:1");
            assertThatThrownBy(() -> start("all"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("TASKS_BUS=rabbitmq: RabbitMQ at 127.0.0.1:1 is unreachable");
        }
    }
}
