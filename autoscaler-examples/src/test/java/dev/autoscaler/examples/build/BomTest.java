package dev.autoscaler.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (an import would otherwise pin the parent's third-party versions in the
 * user's build), so nothing keeps it in step with the modules but this test: it names every
 * published module, and only those, at the parent's version; and every published module's pom
 * describes itself, as Maven Central requires.
 */
@DisplayName("autoscaler-bom lists every published module at the project's version")
class BomTest {
    private static final Path REPOSITORY = Path.of("..");

    @Test
    @DisplayName("its version is the parent's, and its entries are exactly the published modules")
    void bomMatchesTheModules() throws IOException {
        String parent = Files.readString(REPOSITORY.resolve("pom.xml"));
        String bom = Files.readString(REPOSITORY.resolve("autoscaler-bom/pom.xml"));
        assertThat(bom).doesNotContain("<parent>");
        assertThat(first(bom, "<version>([^<]+)</version>")).isEqualTo(first(parent, "<version>([^<]+)</version>"));

        List<String> published = new ArrayList<>();
        for (String module : all(parent, "<module>([^<]+)</module>")) {
            String pom = Files.readString(REPOSITORY.resolve(module).resolve("pom.xml"));
            if (pom.contains("<packaging>pom</packaging>") || pom.contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
                continue;
            }
            published.add(module);
            assertThat(pom).as(module + "'s pom describes the module").containsPattern("<description>[^<]{10,}</description>");
        }
        assertThat(published).as("published modules").isNotEmpty();
        assertThat(all(bom, "<artifactId>([^<]+)</artifactId>").subList(1, all(bom, "<artifactId>([^<]+)</artifactId>").size()))
                .as("the BOM's entries").containsExactlyInAnyOrderElementsOf(published);
    }

    @Test
    @DisplayName("the parent carries what Maven Central requires: url, licence, developers, scm")
    void parentHasCentralMetadata() throws IOException {
        String parent = Files.readString(REPOSITORY.resolve("pom.xml"));
        assertThat(parent).contains("<url>", "<licenses>", "<name>Apache-2.0</name>", "<developers>", "<scm",
                "<connection>", "<project.build.outputTimestamp>");
        assertThat(REPOSITORY.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> all(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
