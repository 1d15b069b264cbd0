package dev.longtasks.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bearer tokens of {@code TASKS_API_TOKEN}; several at once, so a new token can be rolled out
 * before the old one is removed. Only SHA-256 digests are held. A presented token is hashed and
 * compared with every digest by {@link MessageDigest#isEqual}, and the loop never stops early:
 * neither the time taken nor the answer says which token matched or how much of one did. Hashing
 * first also makes the comparison independent of the token's length.
 */
final class BearerTokens {
    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 512;
    /** RFC 6750's b64token: what may follow "Bearer " in an Authorization header. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final List<byte[]> digests;

    private BearerTokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * Comma-separated tokens. The messages of the {@link IllegalArgumentException} it throws name
     * a token by its position only: a token never appears in a message or a log.
     */
    static BearerTokens parse(String commaSeparated) {
        List<byte[]> digests = new ArrayList<>();
        String[] parts = commaSeparated.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String token = parts[i].trim();
            if (token.isEmpty()) {
                continue;
            }
            String which = "token " + (i + 1) + " of " + parts.length;
            if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
                throw new IllegalArgumentException(which + " has " + token.length() + " characters; use "
                        + MIN_LENGTH + " to " + MAX_LENGTH + " (for example the output of `openssl rand -hex 32`)");
            }
            if (!B64TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException(which + " has characters a bearer token cannot carry; use letters, "
                        + "digits and - . _ ~ + / (then = at the end only), for example the output of `openssl rand -hex 32`");
            }
            digests.add(sha256(token));
        }
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("it holds no token");
        }
        return new BearerTokens(digests);
    }

    int count() {
        return digests.size();
    }

    boolean accepts(String token) {
        byte[] presented = sha256(token);
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, presented);
        }
        return match;
    }

    /** The token of an {@code Authorization: Bearer <token>} header; null when there is none. */
    static String fromHeader(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = a.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
