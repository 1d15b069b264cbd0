package dev.longtasks.api;

import java.util.Objects;

/**
 * Who API Gateway's authorizer let through: the authorizer ({@code iam} or {@code jwt}) and the
 * caller it names (the IAM user or role ARN, the JWT's {@code sub}). The API trusts it because
 * only the gateway can put it into an event; the local server never sets one.
 */
public record Principal(GatewayAuthorizer authorizer, String name) {
    public Principal {
        Objects.requireNonNull(authorizer, "authorizer");
        name = name == null ? "" : name;
    }
}
