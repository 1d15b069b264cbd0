package dev.longtasks.store;

import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.TaskStoreException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;

/**
 * Builds a {@link RedisTaskStore}: checks every setting, opens a connection pool and pings the
 * server once, so a wrong {@code REDIS_URL} fails at start with a message naming host and port.
 */
public final class RedisTaskStoreBuilder {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

    private String url = DEFAULT_URL;
    private String keyPrefix = "longtasks:";
    private Clock clock = Clock.systemUTC();
    private Duration ttl = Duration.ofHours(1);
    private Duration openHorizon = ReconcilerSettings.DEFAULT_OPEN_HORIZON;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(5);
    private int maxConnections = 64;

    RedisTaskStoreBuilder() {
    }

    /** {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...} for TLS. */
    public RedisTaskStoreBuilder url(String url) {
        this.url = Objects.requireNonNull(url, "url");
        return this;
    }

    /** Prepended to every key, so several deployments (or test runs) can share one Redis. */
    public RedisTaskStoreBuilder keyPrefix(String keyPrefix) {
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        return this;
    }

    public RedisTaskStoreBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public RedisTaskStoreBuilder ttl(Duration ttl) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        return this;
    }

    /** Added to the TTL while a task is open (see TaskStore). */
    public RedisTaskStoreBuilder openHorizon(Duration openHorizon) {
        this.openHorizon = Objects.requireNonNull(openHorizon, "openHorizon");
        return this;
    }

    public RedisTaskStoreBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout");
        return this;
    }

    public RedisTaskStoreBuilder socketTimeout(Duration timeout) {
        this.socketTimeout = Objects.requireNonNull(timeout, "socketTimeout");
        return this;
    }

    /** The pool's size: at most this many commands in flight at once. */
    public RedisTaskStoreBuilder maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    public RedisTaskStore build() {
        URI uri = parse(url);
        if (keyPrefix.isEmpty() || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalStateException("RedisTaskStore keyPrefix must be non-empty and free of spaces, was '" + keyPrefix + "'");
        }
        if (ttl.toSeconds() < 1) {
            throw new IllegalStateException("RedisTaskStore ttl must be at least 1 second, was " + ttl);
        }
        positive("connectTimeout", connectTimeout);
        positive("socketTimeout", socketTimeout);
        if (maxConnections < 1) {
            throw new IllegalStateException("RedisTaskStore maxConnections must be positive, was " + maxConnections);
        }
        HostAndPort hostAndPort = new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) connectTimeout.toMillis())
                .socketTimeoutMillis((int) socketTimeout.toMillis())
                .database(database(uri))
                .clientName("longtasks");
        credentials(uri, client);
        if ("rediss".equals(uri.getScheme())) {
            client.sslOptions(SslOptions.defaults());
        }
        ConnectionPoolConfig poolConfig = new ConnectionPoolConfig();
        poolConfig.setMaxTotal(maxConnections);
        poolConfig.setMaxIdle(maxConnections);
        poolConfig.setMinIdle(0);
        // Waiting for a free connection is bounded too, so a stuck Redis cannot hang a worker forever.
        poolConfig.setMaxWait(connectTimeout.plus(socketTimeout));
        RedisClient redis = RedisClient.builder().hostAndPort(hostAndPort).clientConfig(client.build())
                .poolConfig(poolConfig).build();
        RedisTaskStore store = new RedisTaskStore(redis, hostAndPort.toString(), keyPrefix, clock, ttl.toSeconds(),
                ttl.plus(openHorizon).toSeconds());
        try {
            store.ping();
        } catch (TaskStoreException e) {
            redis.close();
            throw e;
        }
        return store;
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalStateException("RedisTaskStore " + name + " must be positive, was " + d);
        }
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalStateException("REDIS_URL=" + url + " is not a Redis URL; use redis://host:port[/db]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("REDIS_URL=" + url + " is not a valid URL: " + e.getMessage(), e);
        }
    }

    private static int database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || "/".equals(path)) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("REDIS_URL path must be a database number, was '" + path + "'", e);
        }
    }

    private static void credentials(URI uri, DefaultJedisClientConfig.Builder client) {
        String info = uri.getRawUserInfo();
        if (info == null) {
            return;
        }
        int colon = info.indexOf(':');
        String user = colon < 0 ? null : decode(info.substring(0, colon));
        String password = decode(colon < 0 ? info : info.substring(colon + 1));
        if (user != null && !user.isEmpty()) {
            client.user(user);
        }
        client.password(password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
