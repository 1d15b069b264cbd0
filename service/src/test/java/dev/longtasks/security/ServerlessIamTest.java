package dev.longtasks.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Least privilege in serverless.yml: no IAM statement, wherever it is declared (provider,
 * function or a role resource), grants a {@code *} resource or a {@code *} action. CloudFormation
 * tags (!Sub, !GetAtt, !Ref) read as their plain operands, so a literal {@code *} still shows.
 */
class ServerlessIamTest {

    static Path serverlessYml() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("serverless.yml"))) {
                return p.resolve("serverless.yml");
            }
        }
        throw new AssertionError("serverless.yml not found above " + Path.of("").toAbsolutePath());
    }

    /** Every object with an Effect: the IAM statements, wherever they sit in the document. */
    static void collectStatements(JsonNode node, String where, List<String> paths, List<JsonNode> out) {
        if (node.isObject()) {
            if (node.has("Effect") && (node.has("Action") || node.has("NotAction"))) {
                out.add(node);
                paths.add(where);
            }
            node.properties().forEach(e -> collectStatements(e.getValue(), where + "/" + e.getKey(), paths, out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectStatements(node.get(i), where + "[" + i + "]", paths, out);
            }
        }
    }

    static List<String> values(JsonNode n) {
        List<String> v = new ArrayList<>();
        if (n == null || n.isNull()) {
            return v;
        }
        if (n.isArray()) {
            n.forEach(x -> v.addAll(values(x)));
        } else if (n.isObject()) {
            n.forEach(x -> v.addAll(values(x))); // e.g. Fn::Sub long form
        } else {
            v.add(n.asText());
        }
        return v;
    }

    @Test
    void no_iam_statement_grants_a_star_resource_or_a_star_action() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(Files.readString(serverlessYml()));
        List<JsonNode> statements = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        collectStatements(doc, "", paths, statements);
        assertThat(statements).as("IAM statements found in serverless.yml").hasSizeGreaterThanOrEqualTo(4);
        for (int i = 0; i < statements.size(); i++) {
            JsonNode s = statements.get(i);
            boolean assumeRole = s.has("Principal");
            if (!assumeRole) {
                assertThat(s.has("Resource")).as("%s has a Resource", paths.get(i)).isTrue();
                assertThat(s.has("NotResource")).as("%s uses NotResource", paths.get(i)).isFalse();
                for (String r : values(s.get("Resource"))) {
                    assertThat(r.trim()).as("Resource of %s", paths.get(i)).isNotEqualTo("*").doesNotStartWith("*");
                    assertThat(r).as("Resource of %s", paths.get(i)).doesNotContain(":*:*");
                }
            }
            for (String a : values(s.get("Action"))) {
                assertThat(a.trim()).as("Action of %s", paths.get(i)).isNotEqualTo("*").doesNotEndWith(":*");
            }
        }
    }

    @Test
    void the_reconciler_has_its_own_role_that_queries_only_the_open_task_index_and_nothing_scans() throws Exception {
        JsonNode doc = new YAMLMapper().readTree(Files.readString(serverlessYml()));
        JsonNode fn = doc.at("/functions/reconciler");
        assertThat(fn.get("role").asText()).isEqualTo("ReconcilerRole");
        assertThat(fn.at("/events/0/schedule").asText()).isEqualTo("rate(1 minute)");
        List<JsonNode> statements = new ArrayList<>();
        collectStatements(doc.at("/resources/Resources/ReconcilerRole"), "ReconcilerRole", new ArrayList<>(), statements);
        List<String> actions = new ArrayList<>();
        for (JsonNode st : statements) {
            List<String> a = values(st.get("Action"));
            actions.addAll(a);
            if (a.contains("dynamodb:Query")) {
                assertThat(a).containsExactly("dynamodb:Query");
                assertThat(values(st.get("Resource"))).singleElement().asString().endsWith("/index/open-due");
            }
        }
        assertThat(actions).contains("dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem", "sns:Publish")
                .doesNotContain("dynamodb:Scan", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");
        List<JsonNode> all = new ArrayList<>();
        collectStatements(doc, "", new ArrayList<>(), all);
        for (JsonNode st : all) {
            assertThat(values(st.get("Action"))).as("no function may scan the table").doesNotContain("dynamodb:Scan");
        }
    }

    @Test
    void the_checker_itself_catches_a_star_resource() throws Exception {
        JsonNode doc = new YAMLMapper().readTree("""
                provider:
                  iam:
                    role:
                      statements:
                        - Effect: Allow
                          Action: [dynamodb:GetItem]
                          Resource: "*"
                """);
        List<JsonNode> statements = new ArrayList<>();
        collectStatements(doc, "", new ArrayList<>(), statements);
        assertThat(statements).hasSize(1);
        assertThat(values(statements.getFirst().get("Resource"))).containsExactly("*");
    }
}
