package dev.longtasks.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials written into a CI file: AWS account ids, access key ids, secret keys and
 * session tokens given as values instead of variable references, and private keys.
 */
final class SecretScan {
    private static final Map<String, Pattern> TEXT_RULES = Map.of(
            "a 12-digit number (an AWS account id)", Pattern.compile("(?<![0-9])[0-9]{12}(?![0-9])"),
            "an AWS access key id", Pattern.compile("\\b(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\\b"),
            "an AWS secret, key or token value",
            Pattern.compile("(?i)aws_(secret_access_key|access_key_id|session_token)[\"']?\\s*[:=]\\s*[\"']?(?![$\"'\\s])\\S+"),
            "a private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"));

    // A UUID's last group has 12 digits at times; it is a task id in an example, not an account.
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final Pattern SECRET_KEY_NAME =
            Pattern.compile("(?i)aws_(secret_access_key|access_key_id|session_token)|role-to-assume");

    private SecretScan() {
    }

    /** One line per finding, "line N: <what>: <text>", in the raw text (comments included). */
    static List<String> inText(String text) {
        List<String> findings = new ArrayList<>();
        String[] lines = UUID.matcher(text).replaceAll("<uuid>").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            for (Map.Entry<String, Pattern> rule : TEXT_RULES.entrySet()) {
                Matcher m = rule.getValue().matcher(lines[i]);
                if (m.find()) {
                    findings.add("line " + (i + 1) + ": " + rule.getKey() + ": " + m.group());
                }
            }
        }
        return findings;
    }

    /** Keys that carry credentials (or the role to assume) must take their value from a variable. */
    static List<String> inTree(JsonNode node) {
        List<String> findings = new ArrayList<>();
        walk(node, "", findings);
        return findings;
    }

    private static void walk(JsonNode node, String path, List<String> findings) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String child = path + "/" + e.getKey();
                if (SECRET_KEY_NAME.matcher(e.getKey()).matches() && e.getValue().isValueNode()
                        && !isVariableReference(e.getValue().asText())) {
                    findings.add(child + " is written in the file instead of coming from a variable");
                }
                walk(e.getValue(), child, findings);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "/" + i, findings);
            }
        }
    }

    /** GitLab {@code $VAR} / {@code ${VAR}}, or a GitHub {@code ${{ secrets.X }}} / {@code ${{ vars.X }}}. */
    static boolean isVariableReference(String value) {
        String v = value.strip();
        return v.matches("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?")
                || v.matches("\\$\\{\\{\\s*(secrets|vars|env)\\.[A-Za-z_][A-Za-z0-9_]*\\s*}}");
    }
}
