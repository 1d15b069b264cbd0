package dev.longtasks.cli.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;

/** Reads a stage's parameters with one paginated GetParametersByPath (decrypted). */
public final class StageParameters {
    private StageParameters() {
    }

    public static Map<String, Parameter> read(SsmClient ssm, StageNames names) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        ssm.getParametersByPathPaginator(GetParametersByPathRequest.builder()
                        .path(names.pathPrefix()).recursive(true).withDecryption(true).build())
                .stream().flatMap(page -> page.parameters().stream()).forEach(p -> byName.put(p.name(), p));
        return byName;
    }

    /** SecureString values are shown as {@code ****} unless asked for. */
    public static String shown(String value, boolean secure, boolean showValues) {
        if (value == null) {
            return "-";
        }
        return secure && !showValues ? "****" : value;
    }
}
