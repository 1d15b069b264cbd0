package dev.longtasks.api;

import java.util.Locale;

/** The HTTP API's built-in authorizers the deploy can put in front of routes ({@code --param auth=...}). */
public enum GatewayAuthorizer {
    IAM, JWT;

    /** As the deploy param and {@code TASKS_API_AUTH} spell it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
