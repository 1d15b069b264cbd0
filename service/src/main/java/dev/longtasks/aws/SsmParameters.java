package dev.longtasks.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/** The one reader of a stage's SSM parameters, for the service's cold start and for {@code taskctl}. */
public final class SsmParameters {
    private SsmParameters() {
    }

    /**
     * Every parameter under {@code path} (recursive, SecureStrings decrypted), keyed by its full
     * name, with one paginated {@code GetParametersByPath}. SDK failures propagate: the service
     * turns them into a configuration error, {@code taskctl doctor} into a failed check.
     */
    public static Map<String, Parameter> byPath(SsmClient ssm, String path) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (var page : ssm.getParametersByPathPaginator(r -> r.path(path).recursive(true).withDecryption(true))) {
            for (Parameter p : page.parameters()) {
                byName.put(p.name(), p);
            }
        }
        return byName;
    }
}
