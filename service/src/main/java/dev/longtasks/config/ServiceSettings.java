package dev.longtasks.config;

import dev.longtasks.aws.AwsClients;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskService;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the local server and the workers read from the environment, with the embedded
 * defaults. Lambda functions read the same variables; their AWS names come from SSM.
 *
 * @param stage {@code API_STAGE}, default {@code local}
 * @param port {@code PORT}, default 4000
 * @param role {@code TASKS_ROLE}: api (HTTP only), worker (runs tasks only) or all
 * @param store {@code TASKS_STORE}: memory (default), dynamodb, redis
 * @param bus {@code TASKS_BUS}: inprocess (default), sns, rabbitmq
 * @param ttl {@code TASKS_TTL_SECONDS}, default 3600
 * @param runner lease, attempts, limits and the safety margin (see {@link #fromEnv})
 * @param reconciler {@code TASKS_DISPATCH_GRACE_SECONDS} (60), {@code TASKS_MAX_QUEUE_WAIT_SECONDS}
 *     (3600), {@code TASKS_RECONCILE_INTERVAL_SECONDS} (60; 0 = no in-process reconciler),
 *     {@code TASKS_RECONCILE_BATCH} (500)
 * @param workers {@code TASKS_WORKERS}: tasks run at once by this process
 * @param queueCapacity {@code TASKS_QUEUE_CAPACITY}: events the in-process bus holds for its workers
 * @param maxBodyBytes {@code TASKS_MAX_BODY_BYTES}: request body limit (after gzip inflation), default 256 KB
 * @param maxTasksInMemory {@code TASKS_MEMORY_MAX_TASKS}: bound of the memory store
 */
public record ServiceSettings(
        String stage,
        int port,
        Role role,
        StoreKind store,
        BusKind bus,
        Duration ttl,
        RunnerSettings runner,
        ReconcilerSettings reconciler,
        int workers,
        int queueCapacity,
        int maxBodyBytes,
        int maxTasksInMemory,
        Map<String, String> env) {

    /** {@code TASKS_ROLE}; {@link #toString()} is the value as the variable spells it. */
    public enum Role {
        API, WORKER, ALL;

        public boolean serves() {
            return this != WORKER;
        }

        public boolean works() {
            return this != API;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code TASKS_STORE}: where task records live. */
    public enum StoreKind {
        MEMORY, DYNAMODB, REDIS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code TASKS_BUS}: what carries the system events. */
    public enum BusKind {
        INPROCESS, SNS, RABBITMQ;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    /** The most a result may be set to: with the input's limit it must still fit a 400 KB DynamoDB item. */
    static final int MAX_RESULT_BYTES_LIMIT = 128 * 1024;

    public static ServiceSettings fromEnv(Map<String, String> env) {
        RunnerSettings runner = RunnerSettings.DEFAULTS
                .withLease(Duration.ofSeconds(intVar(env, "TASKS_LEASE_SECONDS", 30, 1, 86_400)))
                .withMaxAttempts(intVar(env, "TASKS_MAX_ATTEMPTS", RunnerSettings.DEFAULTS.maxAttempts(), 1, 100))
                .withSafetyMargin(safetyMargin(env))
                .withLimits(intVar(env, "TASKS_MAX_RESULT_BYTES", RunnerSettings.DEFAULT_MAX_RESULT_BYTES, 1, MAX_RESULT_BYTES_LIMIT),
                        intVar(env, "TASKS_MAX_ERROR_MESSAGE_BYTES", RunnerSettings.DEFAULT_MAX_MESSAGE_BYTES, 64, 8 * 1024));
        ReconcilerSettings reconciler = new ReconcilerSettings(
                Duration.ofSeconds(intVar(env, "TASKS_DISPATCH_GRACE_SECONDS", 60, 1, 86_400)),
                Duration.ofSeconds(intVar(env, "TASKS_MAX_QUEUE_WAIT_SECONDS", 3600, 1, 30 * 86_400)),
                Duration.ofSeconds(intVar(env, "TASKS_RECONCILE_INTERVAL_SECONDS", 60, 0, 3600)),
                intVar(env, "TASKS_RECONCILE_BATCH", 500, 1, 10_000));
        return new ServiceSettings(
                env.getOrDefault("API_STAGE", "local"),
                intVar(env, "PORT", 4000, 0, 65_535),
                enumVar(env, "TASKS_ROLE", Role.ALL),
                enumVar(env, "TASKS_STORE", StoreKind.MEMORY),
                enumVar(env, "TASKS_BUS", BusKind.INPROCESS),
                Duration.ofSeconds(intVar(env, "TASKS_TTL_SECONDS", 3600, 1, 30 * 86_400)),
                runner,
                reconciler,
                intVar(env, "TASKS_WORKERS", 64, 1, 10_000),
                intVar(env, "TASKS_QUEUE_CAPACITY", 100_000, 1, 10_000_000),
                intVar(env, "TASKS_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, 1, TaskService.DEFAULT_MAX_INPUT_BYTES),
                intVar(env, "TASKS_MEMORY_MAX_TASKS", 200_000, 1, 50_000_000),
                Map.copyOf(env));
    }

    public ServiceSettings withPort(int newPort) {
        return new ServiceSettings(stage, newPort, role, store, bus, ttl, runner, reconciler, workers, queueCapacity,
                maxBodyBytes, maxTasksInMemory, env);
    }

    /** What the stores add to the TTL of an open task: see {@link ReconcilerSettings#openHorizon}. */
    public Duration openHorizon() {
        return reconciler.openHorizon(runner.lease());
    }

    /**
     * The listener records {@code TimedOut} this long before Lambda's deadline. That write is one
     * AWS call, which may take up to {@code TASKS_AWS_CALL_TIMEOUT_SECONDS}; two seconds more cover
     * the handler's interruption and the response. A shorter margin would let Lambda kill the
     * function mid-write, and the retry would run the task again from the start.
     */
    static Duration safetyMargin(Map<String, String> env) {
        Duration margin = AwsClients.callTimeout(env).plusSeconds(2);
        return margin.compareTo(RunnerSettings.DEFAULTS.safetyMargin()) > 0 ? margin : RunnerSettings.DEFAULTS.safetyMargin();
    }

    static int intVar(Map<String, String> env, String name, int dflt, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < min || v > max) {
                throw new ConfigurationException(name + "=" + raw + " is out of range; use " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + "=" + raw + " is not a whole number");
        }
    }

    /** The constant whose lower-case name the variable holds (case and spaces ignored), or {@code dflt} when unset. */
    static <E extends Enum<E>> E enumVar(Map<String, String> env, String name, E dflt) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        String v = raw.trim().toLowerCase(Locale.ROOT);
        E[] allowed = dflt.getDeclaringClass().getEnumConstants();
        for (E e : allowed) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        throw new ConfigurationException(name + "=" + raw + " is not supported; use one of "
                + String.join("|", Arrays.stream(allowed).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    }
}
