package dev.longtasks.config;

import dev.longtasks.aws.AwsErrors;
import dev.longtasks.aws.SsmParameters;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Reads a stage's names with one recursive {@code GetParametersByPath} on {@code /{stage}/v1/}
 * (paginated), once per process: a Lambda container keeps the result for its whole life.
 * {@code TASKS_TABLE} and {@code TASKS_TOPIC_ARN} override SSM; with both set SSM is not called.
 */
public final class SsmStageConfigLoader {
    /** SSM path segments: letters, digits and {@code . - _}. */
    private static final Pattern STAGE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Map<String, StageConfig> CACHE = new ConcurrentHashMap<>();

    private final SsmClient ssm;

    public SsmStageConfigLoader(SsmClient ssm) {
        this.ssm = ssm;
    }

    /**
     * Loads once per stage, SSM endpoint and process; later calls return the cached names. The
     * endpoint and region are part of the key so two accounts or emulators never share an entry.
     */
    public StageConfig loadCached(String stage, Map<String, String> env) {
        var config = ssm.serviceClientConfiguration();
        String key = AwsErrors.endpointOf(config, "ssm") + "|" + config.region() + "|" + stage + "|"
                + env.getOrDefault("TASKS_TABLE", "") + "|" + env.getOrDefault("TASKS_TOPIC_ARN", "");
        return CACHE.computeIfAbsent(key, k -> load(stage, env));
    }

    public StageConfig load(String stage, Map<String, String> env) {
        if (stage == null || !STAGE.matcher(stage).matches()) {
            throw new ConfigurationException("API_STAGE='" + stage + "' is not a valid stage name (letters, digits, . - _)");
        }
        String table = blankToNull(env.get("TASKS_TABLE"));
        String topicArn = blankToNull(env.get("TASKS_TOPIC_ARN"));
        if (table != null && topicArn != null) {
            return new StageConfig(topicNameOf(topicArn), topicArn, table, stage);
        }
        Map<String, String> params = readPath(stage);
        String name = topicArn != null ? topicNameOf(topicArn) : required(params, stage, StageConfig.TOPIC_NAME);
        String arn = topicArn != null ? topicArn : required(params, stage, StageConfig.TOPIC_ARN);
        String tbl = table != null ? table : required(params, stage, StageConfig.TABLE_NAME);
        return new StageConfig(name, arn, tbl, stage);
    }

    /** Every parameter under {@code /{stage}/v1/}, keyed by the rest of its name. */
    public Map<String, String> readPath(String stage) {
        String prefix = StageConfig.prefix(stage);
        Map<String, String> found = new HashMap<>();
        try {
            SsmParameters.byPath(ssm, prefix).forEach((name, p) -> found.put(name.substring(prefix.length()), p.value()));
        } catch (SdkException e) {
            throw new ConfigurationException("cannot read SSM parameters under " + prefix + " at "
                    + AwsErrors.endpointOf(ssm.serviceClientConfiguration(), "ssm") + ": " + AwsErrors.reason(e), e);
        }
        return found;
    }

    private static String required(Map<String, String> params, String stage, String name) {
        String v = blankToNull(params.get(name));
        if (v == null) {
            throw new ConfigurationException("SSM parameter " + StageConfig.parameter(stage, name)
                    + " not found — run `taskctl setup-params --stage " + stage + "`");
        }
        return v;
    }

    /** arn:aws:sns:region:account:name -> name */
    static String topicNameOf(String arn) {
        int colon = arn.lastIndexOf(':');
        if (!arn.startsWith("arn:") || colon < 0 || colon == arn.length() - 1) {
            throw new ConfigurationException("TASKS_TOPIC_ARN='" + arn + "' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)");
        }
        return arn.substring(colon + 1);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Forgets the cached names (tests that change the parameters between loads). */
    public static void clearCache() {
        CACHE.clear();
    }
}
