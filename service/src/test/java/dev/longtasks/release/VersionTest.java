package dev.longtasks.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** One version for the whole build: the parent pom's, inherited by every module. */
class VersionTest {

    static Document pom(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    /** The text of {@code parent}'s direct child element {@code name}, or null. */
    static String child(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    static Element childElement(Element parent, String name) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    static String buildVersion() throws Exception {
        return child(pom(RepoFiles.root().resolve("pom.xml")).getDocumentElement(), "version");
    }

    @Nested
    class The_parent_pom {
        @Test
        void has_a_semantic_version() throws Exception {
            assertThat(buildVersion()).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
        }

        @Test
        void is_the_parent_of_every_module_which_declares_no_version_of_its_own() throws Exception {
            Element parent = pom(RepoFiles.root().resolve("pom.xml")).getDocumentElement();
            List<String> modules = new ArrayList<>();
            NodeList list = childElement(parent, "modules").getElementsByTagName("module");
            for (int i = 0; i < list.getLength(); i++) {
                modules.add(list.item(i).getTextContent().strip());
            }
            assertThat(modules).contains("service", "cli");
            for (String module : modules) {
                Element project = pom(RepoFiles.root().resolve(module).resolve("pom.xml")).getDocumentElement();
                assertThat(child(childElement(project, "parent"), "version")).as(module).isEqualTo(buildVersion());
                assertThat(child(project, "version")).as(module + " must inherit the version").isNull();
            }
        }
    }

    @Nested
    class The_release_artifacts {
        @Test
        void serverless_yml_deploys_the_lambda_jar_of_this_version() throws Exception {
            JsonNode sls = RepoFiles.yaml(RepoFiles.read("serverless.yml"));

            assertThat(sls.at("/package/artifact").asText())
                    .isEqualTo("service/target/service-" + buildVersion() + "-lambda.jar");
        }

        @Test
        void the_shade_configs_name_the_jars_with_the_version() throws Exception {
            String cli = RepoFiles.read("cli/pom.xml");
            String service = RepoFiles.read("service/pom.xml");

            assertThat(cli).contains("<outputFile>${project.build.directory}/taskctl-${project.version}.jar</outputFile>");
            assertThat(service).contains("<shadedClassifierName>lambda</shadedClassifierName>");
        }
    }

    @Nested
    class The_changelog {
        @Test
        void has_an_entry_for_the_build_version_and_an_unreleased_section() throws Exception {
            String changelog = RepoFiles.read("CHANGELOG.md");
            assertThat(changelog).contains("## [Unreleased]");
            assertThat(changelog).containsPattern("(?m)^## \\[" + buildVersion().replace(".", "\\.") + "] - \\d{4}-\\d{2}-\\d{2}$");
        }
    }
}
