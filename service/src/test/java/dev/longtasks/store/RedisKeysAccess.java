package dev.longtasks.store;

/** Lets tests in other packages clean up their Redis keys. */
public final class RedisKeysAccess {
    private RedisKeysAccess() {
    }

    public static void deleteAll(String url, String prefix) {
        RedisKeys.deleteAll(url, prefix);
    }
}
