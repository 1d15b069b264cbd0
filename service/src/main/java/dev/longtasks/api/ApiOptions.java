package dev.longtasks.api;

import dev.longtasks.Version;
import dev.longtasks.config.ServiceSettings;

/**
 * How the HTTP core behaves.
 *
 * @param maxBodyBytes request body limit in bytes, checked on the declared length, on the bytes
 *     received and again on the inflated size of a gzip body
 * @param stage shown by {@code GET /v1/health}
 * @param version shown by {@code GET /v1/health}
 * @param retryAfterSeconds the {@code Retry-After} sent with 202 (when to poll) and with 503
 * @param gzipMinBytes responses at least this large are gzip-compressed when the client accepts it
 */
public record ApiOptions(int maxBodyBytes, String stage, String version, int retryAfterSeconds, int gzipMinBytes) {
    public static final int DEFAULT_MAX_BODY_BYTES = ServiceSettings.DEFAULT_MAX_BODY_BYTES;
    public static final int DEFAULT_GZIP_MIN_BYTES = 1024;

    public ApiOptions {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        if (retryAfterSeconds < 0 || gzipMinBytes < 0) {
            throw new IllegalArgumentException("retryAfterSeconds and gzipMinBytes must not be negative");
        }
        stage = stage == null ? "local" : stage;
        version = version == null ? Version.current() : version;
    }

    public static ApiOptions defaults() {
        return new ApiOptions(DEFAULT_MAX_BODY_BYTES, "local", Version.current(), 1, DEFAULT_GZIP_MIN_BYTES);
    }

    /** The options a process configured by the environment uses. */
    public static ApiOptions from(ServiceSettings settings) {
        return new ApiOptions(settings.maxBodyBytes(), settings.stage(), Version.current(), 1, DEFAULT_GZIP_MIN_BYTES);
    }

    public ApiOptions withMaxBodyBytes(int bytes) {
        return new ApiOptions(bytes, stage, version, retryAfterSeconds, gzipMinBytes);
    }
}
