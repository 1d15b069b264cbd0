package dev.longtasks.api;

/**
 * The whole HTTP API as one function: routing, validation, CORS, gzip and problem+json errors.
 * It never throws: every failure becomes a problem+json response without internal details.
 * The Lambda {@code ApiHandler} and the {@code LocalServer} are thin adapters over it.
 */
@FunctionalInterface
public interface HttpApi {
    HttpResponse handle(HttpRequest request);
}
