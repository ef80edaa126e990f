package dev.autoscaler.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Every reference in the README, docs/ and the main javadoc points inside the repository")
class DocumentationLinksTest {
    /** Tests run in the module's folder; the repository is its parent. */
    private static final Path REPOSITORY = Path.of("..");

    @Test
    @DisplayName("the repository has no dangling .md name, relative link or section, and no ../shared")
    void repositoryHasNoDanglingReference() {
        DocumentationLinks links = new DocumentationLinks(REPOSITORY);
        assertThat(links.filesToCheck()).as("files checked")
                .anyMatch(p -> p.endsWith("README.md"))
                .anyMatch(p -> p.endsWith(Path.of("docs", "DESIGN.md")))
                .anyMatch(p -> p.endsWith(Path.of("docs", "PROTOCOL.md")))
                .anyMatch(p -> p.toString().contains("autoscaler-api") && p.toString().endsWith(".java"));
        assertThat(links.problems()).isEmpty();
    }

    @Test
    @DisplayName("a planted dangling name, link, section and ../shared are each reported with file and line")
    void reportsEachKindOfDanglingReference(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/DESIGN.md"), "# Design\n\n## The engine tick\n\nSee [the protocol](PROTOCOL.md).\n");
        Files.writeString(repo.resolve("README.md"), String.join("\n",
                "# Project",
                "Read [the design](docs/DESIGN.md#the-engine-tick) and docs/DESIGN.md.",   // fine
                "Read DESIGN.md first.",                                                     // line 3: not at the root
                "See [the tick](docs/DESIGN.md#the-tick).",                                  // line 4: no such section
                "Background in ../shared/docs.",                                             // line 5: outside
                "[up](#project) [down](#nowhere)",                                           // line 6: #nowhere
                "https://example.com/notes.md is a URL, not a file.",                        // fine
                ""));
        Path source = repo.resolve("mod/src/main/java/p/A.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package p;\n/** Per docs/PROTOCOL.md#signatures. */\nclass A {}\n");

        assertThat(new DocumentationLinks(repo).problems()).containsExactly(
                "README.md:3: no such file: DESIGN.md",
                "README.md:4: no section #the-tick in docs/DESIGN.md",
                "README.md:5: points outside the repository: ../shared",
                "README.md:6: no section #nowhere in README.md",
                "docs/DESIGN.md:5: no such file: PROTOCOL.md",
                "mod/src/main/java/p/A.java:2: no such file: docs/PROTOCOL.md");
    }

    @Test
    @DisplayName("anchors follow GitHub's rules: lower case, punctuation dropped, spaces to dashes")
    void slugsAreGitHubs() {
        assertThat(DocumentationLinks.slug("Serving: `./autoscaler serve --config FILE`"))
                .isEqualTo("serving-autoscaler-serve---config-file");
        assertThat(DocumentationLinks.slug("POST /worker_status/")).isEqualTo("post-worker_status");
        assertThat(DocumentationLinks.slug("The simulator's world model")).isEqualTo("the-simulators-world-model");
    }
}
