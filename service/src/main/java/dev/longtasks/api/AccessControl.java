package dev.longtasks.api;

import dev.longtasks.config.ConfigurationException;
import dev.longtasks.config.ServiceSettings;
import java.util.Locale;
import java.util.Map;

/**
 * Who may call which route. The routes that reveal other people's tasks (list, stats and
 * {@code /metrics}) are guarded always, and the dashboard's files are off wherever those routes are; the seed's task routes (submit, get, cancel)
 * stay as open as the seed has them unless {@code TASKS_API_AUTH_SCOPE=all} says otherwise.
 *
 * <p>The mode, from the environment:
 * <ul>
 *   <li>{@code TASKS_API_TOKEN} (comma-separated, several for rotation): bearer tokens;</li>
 *   <li>{@code TASKS_API_AUTH=iam|jwt}: API Gateway's authorizer already checked the caller, and
 *       the Lambda adapter put it into {@link HttpRequest#principal()};</li>
 *   <li>neither, on the {@code local} stage: open, so the quick start needs no token;</li>
 *   <li>neither, on any other stage: the guarded routes are off (403 with a hint).</li>
 * </ul>
 */
public final class AccessControl {
    static final String DOCS = "docs/http-api.md#access-control";
    /** The stage where an API without any auth configured stays open (DESIGN §4). */
    public static final String LOCAL_STAGE = "local";
    private static final String REALM = "Bearer realm=\"longtasks\"";

    /** How guarded routes are checked. */
    sealed interface Mode {
        record Open() implements Mode {
        }

        record Off(String stage) implements Mode {
        }

        record Tokens(BearerTokens tokens) implements Mode {
        }

        record Gateway(GatewayAuthorizer authorizer) implements Mode {
        }
    }

    private final Mode mode;
    private final boolean allRoutes;

    private AccessControl(Mode mode, boolean allRoutes) {
        this.mode = mode;
        this.allRoutes = allRoutes;
    }

    /** Without any auth configured: open on the local stage, guarded routes off elsewhere. */
    public static AccessControl forStage(String stage) {
        return new AccessControl(LOCAL_STAGE.equals(stage) ? new Mode.Open() : new Mode.Off(stage), false);
    }

    public static AccessControl from(ServiceSettings settings) {
        return fromEnv(settings.stage(), settings.env());
    }

    /** Fails with a {@link ConfigurationException} on a setting it cannot honour. */
    public static AccessControl fromEnv(String stage, Map<String, String> env) {
        String tokens = blankToNull(env.get("TASKS_API_TOKEN"));
        GatewayAuthorizer gateway = gateway(blankToNull(env.get("TASKS_API_AUTH")));
        boolean all = allRoutes(blankToNull(env.get("TASKS_API_AUTH_SCOPE")));
        Mode mode;
        if (gateway != null && tokens != null) {
            throw new ConfigurationException("TASKS_API_AUTH=" + gateway + " and TASKS_API_TOKEN are both set: "
                    + "behind API Gateway's authorizer the API takes no bearer tokens; unset one of them");
        } else if (gateway != null) {
            mode = new Mode.Gateway(gateway);
        } else if (tokens != null) {
            try {
                mode = new Mode.Tokens(BearerTokens.parse(tokens));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("TASKS_API_TOKEN: " + e.getMessage());
            }
        } else {
            mode = forStage(stage).mode;
        }
        if (all && (mode instanceof Mode.Open || mode instanceof Mode.Off)) {
            throw new ConfigurationException("TASKS_API_AUTH_SCOPE=all needs an authentication to apply: "
                    + "set TASKS_API_TOKEN (or, behind API Gateway, TASKS_API_AUTH=iam|jwt)");
        }
        return new AccessControl(mode, all);
    }

    private static GatewayAuthorizer gateway(String raw) {
        if (raw == null || raw.equalsIgnoreCase("none")) {
            return null;
        }
        for (GatewayAuthorizer g : GatewayAuthorizer.values()) {
            if (g.toString().equals(raw.trim().toLowerCase(Locale.ROOT))) {
                return g;
            }
        }
        throw new ConfigurationException("TASKS_API_AUTH=" + raw + " is not supported; use none, iam or jwt");
    }

    private static boolean allRoutes(String raw) {
        if (raw == null || raw.trim().equalsIgnoreCase("listing")) {
            return false;
        }
        if (raw.trim().equalsIgnoreCase("all")) {
            return true;
        }
        throw new ConfigurationException("TASKS_API_AUTH_SCOPE=" + raw + " is not supported; use listing or all");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Wraps the handler of a route that reveals other people's tasks: always checked. */
    Router.Handler guarded(Router.Handler handler) {
        return (request, params) -> {
            check(request);
            return handler.handle(request, params);
        };
    }

    /**
     * Wraps the handler of the dashboard's files. They reveal nothing (the page reads the guarded
     * routes from the browser, with the caller's credentials), and a browser cannot attach a token
     * to a page it navigates to, so configured access control lets them through; but where the
     * guarded routes are off (no access control on a stage other than local), so is the dashboard.
     */
    Router.Handler dashboard(Router.Handler handler) {
        return (request, params) -> {
            if (mode instanceof Mode.Off) {
                check(request);
            }
            return handler.handle(request, params);
        };
    }

    /** Wraps the handler of a seed task route: checked only with {@code TASKS_API_AUTH_SCOPE=all}. */
    Router.Handler taskRoute(Router.Handler handler) {
        return allRoutes ? guarded(handler) : handler;
    }

    /** Returns when the request may pass; throws the 401 or 403 problem otherwise. */
    void check(HttpRequest request) {
        switch (mode) {
            case Mode.Open o -> {
            }
            case Mode.Off off -> throw Problem.of(ProblemType.ACCESS_NOT_CONFIGURED, "this route shows other people's "
                    + "tasks, so it is off while stage '" + off.stage() + "' has no access control. Turn it on with "
                    + "bearer tokens (TASKS_API_TOKEN on a self-hosted server) or an API Gateway authorizer "
                    + "(osls deploy --param auth=iam or auth=jwt); see " + DOCS).exception();
            case Mode.Tokens t -> checkToken(t.tokens(), request.header("Authorization"));
            case Mode.Gateway g -> checkGateway(g.authorizer(), request.principal());
        }
    }

    private static void checkToken(BearerTokens tokens, String authorization) {
        String token = BearerTokens.fromHeader(authorization);
        if (token == null) {
            throw Problem.of(ProblemType.AUTH_REQUIRED, "this route needs a bearer token: send 'Authorization: Bearer "
                    + "<token>' with a token from TASKS_API_TOKEN (taskctl: --token or TASKCTL_API_TOKEN); see " + DOCS)
                    .withHeader("WWW-Authenticate", REALM).exception();
        }
        if (!tokens.accepts(token)) {
            throw Problem.of(ProblemType.INVALID_CREDENTIALS, "the bearer token is not accepted: it is wrong, or was "
                    + "rotated out of TASKS_API_TOKEN; ask the operator for a current one")
                    .withHeader("WWW-Authenticate", REALM + ", error=\"invalid_token\"").exception();
        }
    }

    /**
     * API Gateway refuses unauthenticated calls before they reach the function, so this only
     * fires when a request came another way (a route without the authorizer): refuse it too.
     */
    private static void checkGateway(GatewayAuthorizer expected, Principal principal) {
        if (principal != null && principal.authorizer() == expected) {
            return;
        }
        String how = expected == GatewayAuthorizer.IAM
                ? "an AWS SigV4-signed request (IAM; taskctl: --auth iam)"
                : "a JWT from the configured issuer in 'Authorization: Bearer <jwt>'";
        throw Problem.of(ProblemType.AUTH_REQUIRED, "this route needs " + how + ", checked by API Gateway's "
                        + expected + " authorizer; see " + DOCS)
                .withHeader("WWW-Authenticate", expected == GatewayAuthorizer.IAM ? "AWS4-HMAC-SHA256" : REALM).exception();
    }

    /** One line for the start-up log; never a token. */
    public String describe() {
        String how = switch (mode) {
            case Mode.Open o -> "open (local stage, no TASKS_API_TOKEN)";
            case Mode.Off off -> "off (no access control on stage " + off.stage() + ")";
            case Mode.Tokens t -> "bearer token (" + t.tokens().count() + " accepted)";
            case Mode.Gateway g -> "API Gateway " + g.authorizer() + " authorizer";
        };
        return "list, stats and metrics: " + how + (allRoutes ? "; task routes too" : "; task routes open");
    }
}
