package dev.longtasks.cli.backend;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.options.TargetOptions;
import java.net.URI;
import java.util.Map;

/**
 * What a request to the task API carries to authenticate ({@code --auth}): nothing, a bearer
 * token, or an AWS SigV4 signature ({@link SigV4Auth}).
 */
public sealed interface RequestAuth permits RequestAuth.None, RequestAuth.Bearer, SigV4Auth {

    /** The headers to add to a request with this method, URI and body ({@code body} null when there is none). */
    Map<String, String> headers(String method, URI uri, byte[] body);

    static RequestAuth of(TargetOptions.Http target, CliEnvironment env) {
        return switch (target.auth()) {
            case TargetOptions.Auth.None n -> new None();
            case TargetOptions.Auth.Bearer b -> new Bearer(b.token());
            case TargetOptions.Auth.Iam iam -> SigV4Auth.forTarget(target.baseUrl(), iam, env);
        };
    }

    record None() implements RequestAuth {
        @Override
        public Map<String, String> headers(String method, URI uri, byte[] body) {
            return Map.of();
        }
    }

    /** Its text form never shows the token. */
    record Bearer(String token) implements RequestAuth {
        @Override
        public Map<String, String> headers(String method, URI uri, byte[] body) {
            return Map.of("Authorization", "Bearer " + token);
        }

        @Override
        public String toString() {
            return "Bearer[token hidden]";
        }
    }
}
