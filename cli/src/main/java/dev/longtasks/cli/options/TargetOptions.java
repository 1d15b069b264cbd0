package dev.longtasks.cli.options;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import java.net.URI;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a command goes: a stage reached directly through AWS, or an HTTP API. The built-in stage
 * {@code local} means {@code http://localhost:4000}, the port {@code taskctl dev} listens on.
 */
public final class TargetOptions {
    public static final String LOCAL_STAGE = "local";
    public static final String LOCAL_API_URL = "http://localhost:4000";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "Stage to operate on (default: $TASKCTL_STAGE, then $API_STAGE). `local` = http://localhost:4000.")
    String stage;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's chain: $AWS_REGION, profile).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile from ~/.aws/config.")
    String profile;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send every AWS call to this endpoint (emulators). $AWS_ENDPOINT_URL_<SERVICE> overrides per service.")
    URI endpointUrl;

    @Option(names = "--api-url", paramLabel = "URL", description = "Talk to this HTTP API instead of AWS.")
    URI apiUrl;

    @Option(names = "--auth", paramLabel = "MODE", description = "How to authenticate to the HTTP API: none, token "
            + "(a bearer token) or iam (sign with AWS SigV4 for an IAM-protected API Gateway; --profile, --region). "
            + "Default: $TASKCTL_API_AUTH, else token when one is set, else none.")
    String auth;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token for an API that asks for one "
            + "(default: $TASKCTL_API_TOKEN, which keeps it out of the process list).")
    String token;

    /** The resolved target. */
    public sealed interface Target {
        String describe();
    }

    public record Http(URI baseUrl, Auth auth) implements Target {
        public Http(URI baseUrl) {
            this(baseUrl, new Auth.None());
        }

        @Override
        public String describe() {
            return baseUrl.toString();
        }
    }

    /** How requests to an HTTP target authenticate; the backend turns it into headers. */
    public sealed interface Auth {
        record None() implements Auth {
        }

        /** {@code Authorization: Bearer <token>}. Its text form never shows the token. */
        record Bearer(String token) implements Auth {
            @Override
            public String toString() {
                return "Bearer[token hidden]";
            }
        }

        /** AWS SigV4 for {@code execute-api}; null region or profile: from the URL, the environment, the SDK's chain. */
        record Iam(String region, String profile) implements Auth {
        }
    }

    public record Aws(String stage, String region, String profile, URI endpointUrl) implements Target {
        @Override
        public String describe() {
            return "stage " + stage;
        }
    }

    public CliEnvironment environment() {
        return CliEnvironment.of(mixee);
    }

    /** The stage name: --stage, then $TASKCTL_STAGE, then $API_STAGE; null if none. */
    public String stageOrNull() {
        if (stage != null && !stage.isBlank()) {
            return stage;
        }
        CliEnvironment env = environment();
        String s = env.get("TASKCTL_STAGE");
        return s != null ? s : env.get("API_STAGE");
    }

    /** For commands that only work against AWS (setup-params, doctor, invoke --remote). */
    public Aws aws() {
        Target t = resolve();
        if (t instanceof Aws a) {
            return a;
        }
        throw CliException.usage(mixee.qualifiedName() + " works on an AWS stage, not on " + t.describe()
                + " — pass --stage STAGE (for example --stage staging)");
    }

    /** The flags that reach this target again, for the commands a message suggests ("--stage staging "). */
    public String flags() {
        if (apiUrl != null) {
            return "--api-url " + checkedApiUrl(apiUrl) + " " + (auth() instanceof Auth.Iam ? "--auth iam " : "");
        }
        String s = stageOrNull();
        return s == null ? "" : "--stage " + s + " ";
    }

    public Target resolve() {
        if (apiUrl != null) {
            return new Http(checkedApiUrl(apiUrl), auth());
        }
        String s = stageOrNull();
        if (s == null) {
            throw CliException.usage("no target: pass --stage STAGE (or --stage local, or --api-url URL), "
                    + "or set TASKCTL_STAGE");
        }
        if (LOCAL_STAGE.equals(s)) {
            return new Http(URI.create(LOCAL_API_URL), auth());
        }
        if (!s.matches("[A-Za-z0-9_-]{1,64}")) {
            throw CliException.usage("stage '" + s + "' is not valid: use letters, digits, '-' and '_'");
        }
        return new Aws(s, region, profile, endpointUrl);
    }

    /**
     * {@code --auth}, else {@code $TASKCTL_API_AUTH}; without either, a token ({@code --token} or
     * {@code $TASKCTL_API_TOKEN}) means token, and no token means none.
     */
    private Auth auth() {
        CliEnvironment env = environment();
        String t = token != null ? token : env.get("TASKCTL_API_TOKEN");
        String mode = auth != null ? auth : env.get("TASKCTL_API_AUTH");
        mode = mode == null ? (t == null ? "none" : "token") : mode.trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "none" -> new Auth.None();
            case "token" -> {
                if (t == null || t.isBlank()) {
                    throw CliException.usage("--auth token needs a token: set TASKCTL_API_TOKEN (or pass --token TOKEN)");
                }
                if (!t.trim().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    throw CliException.usage("the API token has spaces or characters a header cannot carry; "
                            + "check TASKCTL_API_TOKEN or --token");
                }
                yield new Auth.Bearer(t.trim());
            }
            case "iam" -> {
                if (token != null) {
                    throw CliException.usage("--auth iam signs each request with AWS credentials; drop --token");
                }
                yield new Auth.Iam(region, profile);
            }
            default -> throw CliException.usage("--auth " + mode + " is not supported; use none, token or iam");
        };
    }

    private static URI checkedApiUrl(URI url) {
        String scheme = url.getScheme();
        if (url.getHost() == null || scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw CliException.usage("--api-url " + url + " is not an http(s) URL, e.g. http://localhost:4000");
        }
        String s = url.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
}
