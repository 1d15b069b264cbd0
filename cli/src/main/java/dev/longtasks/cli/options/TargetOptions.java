package dev.longtasks.cli.options;

import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliException;
import java.net.URI;
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

    /** The resolved target. */
    public sealed interface Target {
        String describe();
    }

    public record Http(URI baseUrl) implements Target {
        @Override
        public String describe() {
            return baseUrl.toString();
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
            return "--api-url " + checkedApiUrl(apiUrl) + " ";
        }
        String s = stageOrNull();
        return s == null ? "" : "--stage " + s + " ";
    }

    public Target resolve() {
        if (apiUrl != null) {
            return new Http(checkedApiUrl(apiUrl));
        }
        String s = stageOrNull();
        if (s == null) {
            throw CliException.usage("no target: pass --stage STAGE (or --stage local, or --api-url URL), "
                    + "or set TASKCTL_STAGE");
        }
        if (LOCAL_STAGE.equals(s)) {
            return new Http(URI.create(LOCAL_API_URL));
        }
        if (!s.matches("[A-Za-z0-9_-]{1,64}")) {
            throw CliException.usage("stage '" + s + "' is not valid: use letters, digits, '-' and '_'");
        }
        return new Aws(s, region, profile, endpointUrl);
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
