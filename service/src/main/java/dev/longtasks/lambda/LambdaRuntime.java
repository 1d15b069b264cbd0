package dev.longtasks.lambda;

import dev.longtasks.api.HttpApi;
import dev.longtasks.api.TaskApi;
import dev.longtasks.aws.InitTimings;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.metrics.EmfTaskMetrics;
import dev.longtasks.wiring.AwsStage;
import dev.longtasks.wiring.TaskSystem;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crac.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Lambda container builds once, at cold start (inside the SnapStart snapshot when it is
 * on): the task system with its clients and the stage's names from SSM. Both handlers share it.
 *
 * <p>{@code API_STAGE} unset or {@code local} runs on the embedded memory store and in-process
 * bus, so the handlers work without AWS (for {@code taskctl invoke --local} and tests). Any other
 * stage is the AWS path of {@link AwsStage}: DynamoDB + SNS with the names from {@code /{stage}/v1/}
 * in SSM.
 *
 * <p>Its {@link SnapStartPriming} is registered with CRaC's global context here, at init, and
 * held here: CRaC lets a context keep only a weak reference to a registered resource.
 */
public final class LambdaRuntime {
    private static final Logger log = LoggerFactory.getLogger(LambdaRuntime.class);
    /** Per environment, so tests can hold several; a real container only ever has one. */
    private static final Map<Map<String, String>, LambdaRuntime> BY_ENV = new ConcurrentHashMap<>();

    private final TaskSystem system;
    private final HttpApi api;
    private final EmfTaskMetrics metrics;
    private final AtomicBoolean coldStart = new AtomicBoolean(true);
    private final SnapStartPriming priming;

    private LambdaRuntime(Map<String, String> env) {
        long start = System.nanoTime();
        ServiceSettings settings = ServiceSettings.fromEnv(AwsStage.environment(env));
        this.metrics = EmfTaskMetrics.fromEnv(env, settings.stage(), System.out);
        this.system = TaskSystem.start(settings, metrics);
        this.api = TaskApi.from(settings, system.service(), system.listing());
        this.priming = new SnapStartPriming(this);
        Core.getGlobalContext().register(priming);
        log.info("init took {} ms (AWS clients {} ms, SSM config {} ms)", (System.nanoTime() - start) / 1_000_000,
                InitTimings.clientMillis(), InitTimings.configMillis());
    }

    public static LambdaRuntime forEnv(Map<String, String> env) {
        // A start that throws (bad configuration) leaves no entry, so the next invocation tries again.
        return BY_ENV.computeIfAbsent(Map.copyOf(env), LambdaRuntime::new);
    }

    public TaskSystem system() {
        return system;
    }

    public HttpApi api() {
        return api;
    }

    /** The SnapStart hooks of this container; the handlers register with it at init. */
    public SnapStartPriming priming() {
        return priming;
    }

    /**
     * Writes the EMF lines of what this invocation recorded; every handler calls it once, at the
     * end of each invocation. Never throws: a metric must not fail the invocation.
     */
    void flushMetrics() {
        try {
            metrics.flush();
        } catch (RuntimeException e) {
            log.warn("writing this invocation's metrics failed; they are lost: {}", e.toString());
        }
    }

    /**
     * After SnapStart priming: one EMF line is built and dropped, so the code that writes them is
     * in the snapshot; what priming recorded is no traffic and is dropped with it, never flushed.
     */
    void discardMetrics() {
        metrics.submitted("priming");
        metrics.drain();
    }

    /** True for the first invocation this container serves, false afterwards. */
    boolean takeColdStart() {
        return coldStart.getAndSet(false);
    }

    /** After a SnapStart restore: the next invocation is this environment's first, a cold start. */
    void restored() {
        coldStart.set(true);
        log.info("restored from the SnapStart snapshot");
    }
}
