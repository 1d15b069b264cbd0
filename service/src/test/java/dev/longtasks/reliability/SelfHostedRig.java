package dev.longtasks.reliability;

import dev.longtasks.events.RabbitMqEventBus;
import dev.longtasks.events.RabbitMqSettings;
import dev.longtasks.fault.Fault;
import dev.longtasks.fault.FaultProxy;
import dev.longtasks.store.RedisTaskStore;
import dev.longtasks.task.Reconciler;
import dev.longtasks.task.ReconcilerLoop;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.LocalServices;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Self-hosted mode wired for a fault scenario: the real Redis and RabbitMQ servers, each reached
 * through its own {@link FaultProxy}, so a scenario can cut, reset or black-hole one of them
 * without touching the shared servers other tests use. Every name carries a random run id and
 * everything created is deleted on close.
 */
final class SelfHostedRig implements AutoCloseable {
    final String run = "longtasks-rel-" + UUID.randomUUID().toString().substring(0, 8);
    final FaultProxy redisProxy;
    final FaultProxy amqpProxy;
    final RecordingTaskStore store;
    final RabbitMqEventBus bus;
    final TaskRunner runner;
    final TaskService service;
    /** What every self-hosted worker runs: a failed publish leaves a task PENDING until this publishes it again. */
    final ReconcilerLoop reconciler;
    private final URI redis;

    SelfHostedRig(CountingHandler handler, Duration lease) throws IOException {
        LocalServices.requireRedis();
        LocalServices.requireRabbitMq();
        redis = URI.create(LocalServices.redisUrl());
        URI amqp = URI.create(LocalServices.amqpUrl());
        redisProxy = FaultProxy.tcp(redis.getHost(), redis.getPort() == -1 ? 6379 : redis.getPort());
        amqpProxy = FaultProxy.tcp(amqp.getHost(), amqp.getPort() == -1 ? 5672 : amqp.getPort());
        store = new RecordingTaskStore(RedisTaskStore.builder()
                .url(via(redis, redisProxy.port()))
                .keyPrefix(run + ":")
                .connectTimeout(Duration.ofSeconds(1))
                .socketTimeout(Duration.ofSeconds(1))
                .build());
        bus = RabbitMqEventBus.connect(new RabbitMqSettings(via(amqp, amqpProxy.port()), run + ".events", run + ".tasks",
                Duration.ofSeconds(30), 20, 10));
        TaskHandlers handlers = TaskHandlers.of(List.of(handler));
        runner = new TaskRunner(store, handlers, bus, RunnerSettings.DEFAULTS.withLease(lease), Clock.systemUTC());
        bus.source().start(runner::run, 8);
        ReconcilerSettings reconcile = new ReconcilerSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(1), 500);
        service = new TaskService(store, bus, handlers, Clock.systemUTC(), Duration.ofHours(1), "test",
                TaskService.DEFAULT_MAX_INPUT_BYTES, reconcile.dispatchGrace(), reconcile.openHorizon(lease));
        reconciler = ReconcilerLoop.start(new Reconciler(store, bus, reconcile, RunnerSettings.DEFAULTS.maxAttempts(),
                Clock.systemUTC(), "test"), store);
    }

    private static String via(URI real, int proxyPort) {
        String user = real.getRawUserInfo() == null ? "" : real.getRawUserInfo() + "@";
        return real.getScheme() + "://" + user + "127.0.0.1:" + proxyPort + (real.getRawPath() == null ? "" : real.getRawPath());
    }

    @Override
    public void close() {
        amqpProxy.set(Fault.passThrough());
        redisProxy.set(Fault.passThrough());
        reconciler.close();
        try {
            bus.deleteTopology();
        } finally {
            bus.shutdown(Duration.ofSeconds(5));
            store.close();
            amqpProxy.close();
            redisProxy.close();
            deleteKeys();
        }
    }

    private void deleteKeys() {
        try (Jedis j = new Jedis(redis)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().match(run + ":*").count(1000));
                if (!page.getResult().isEmpty()) {
                    j.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }
}
