package dev.longtasks.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One Lua script of {@link RedisTaskStore}: the shared prelude plus its body, loaded from the
 * classpath. Runs with EVALSHA so only the 40-byte digest crosses the wire; after a Redis restart
 * or SCRIPT FLUSH the server answers NOSCRIPT and the script is sent once with EVAL, which also
 * caches it again. A NOSCRIPT reply means nothing ran, so the fallback never runs a script twice.
 */
record RedisScript(String name, String source, String sha1) {

    static RedisScript load(String name) {
        String source = resource("prelude") + "\n" + resource(name);
        return new RedisScript(name, source, sha1Hex(source));
    }

    Object run(UnifiedJedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, keys, args);
        }
    }

    private static String resource(String name) {
        String path = "redis/" + name + ".lua";
        try (InputStream in = RedisScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
