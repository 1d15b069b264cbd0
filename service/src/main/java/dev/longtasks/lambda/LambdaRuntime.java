package dev.longtasks.lambda;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpApi;
import dev.longtasks.api.TaskApi;
import dev.longtasks.aws.InitTimings;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.wiring.TaskSystem;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Lambda container builds once, at cold start (inside the SnapStart snapshot when it is
 * on): the task system with its clients and the stage's names from SSM. Both handlers share it.
 *
 * <p>{@code API_STAGE} unset or {@code local} runs on the embedded memory store and in-process
 * bus, so the handlers work without AWS (for {@code taskctl invoke --local} and tests). Any other
 * stage is the AWS path: DynamoDB + SNS with the names from {@code /{stage}/v1/} in SSM.
 */
public final class LambdaRuntime {
    private static final Logger log = LoggerFactory.getLogger(LambdaRuntime.class);
    /** Per environment, so tests can hold several; a real container only ever has one. */
    private static final Map<Map<String, String>, LambdaRuntime> BY_ENV = new ConcurrentHashMap<>();

    private final TaskSystem system;
    private final HttpApi api;
    private final AtomicBoolean coldStart = new AtomicBoolean(true);

    private LambdaRuntime(Map<String, String> env) {
        long start = System.nanoTime();
        ServiceSettings settings = ServiceSettings.fromEnv(lambdaEnv(env));
        this.system = TaskSystem.start(settings);
        this.api = new TaskApi(system.service(), ApiOptions.from(settings));
        log.info("init took {} ms (AWS clients {} ms, SSM config {} ms)", (System.nanoTime() - start) / 1_000_000,
                InitTimings.clientMillis(), InitTimings.configMillis());
    }

    public static LambdaRuntime forEnv(Map<String, String> env) {
        Map<String, String> key = Map.copyOf(env);
        LambdaRuntime existing = BY_ENV.get(key);
        if (existing != null) {
            return existing;
        }
        // Not computeIfAbsent: a failed start (bad config) must be retried by the next invocation.
        synchronized (BY_ENV) {
            return BY_ENV.computeIfAbsent(key, LambdaRuntime::new);
        }
    }

    static boolean isAwsStage(Map<String, String> env) {
        String stage = env.get("API_STAGE");
        return stage != null && !stage.isBlank() && !"local".equals(stage.trim());
    }

    /** On a real stage the backends are fixed: DynamoDB + SNS, and this process never runs a worker pool. */
    static Map<String, String> lambdaEnv(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        if (isAwsStage(env)) {
            e.put("TASKS_STORE", "dynamodb");
            e.put("TASKS_BUS", "sns");
            e.put("TASKS_ROLE", "api");
            e.remove("TASKS_QUEUE_URL");
        }
        return e;
    }

    public TaskSystem system() {
        return system;
    }

    public HttpApi api() {
        return api;
    }

    /** True for the first invocation this container serves, false afterwards. */
    boolean takeColdStart() {
        return coldStart.getAndSet(false);
    }
}
