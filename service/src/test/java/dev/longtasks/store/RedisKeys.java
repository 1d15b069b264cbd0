package dev.longtasks.store;

import java.net.URI;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Test cleanup: Redis is shared, so every test deletes exactly the keys under its own prefix. */
final class RedisKeys {
    private RedisKeys() {
    }

    static Jedis connect(String url) {
        return new Jedis(URI.create(url));
    }

    static void deleteAll(String url, String prefix) {
        try (Jedis j = connect(url)) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = j.scan(cursor, new ScanParams().match(prefix + "*").count(1000));
                if (!page.getResult().isEmpty()) {
                    j.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }
}
