package dev.autoscaler.examples.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's plugin section shows the example plugin module's code as it is: the policy from its
 * javadoc on, the services file, and the test from its javadoc on, each as one block.
 */
@DisplayName("The README's plugin section shows the example plugin's code as it is")
class ExamplePolicyReadmeTest {
    private static final Path MODULE = Path.of("../autoscaler-example-policy/src");

    private static String readme() throws IOException {
        return Files.readString(Path.of("../README.md"));
    }

    /** The file from the first line that starts with {@code from}, without the trailing newline. */
    private static String block(String file, String from) throws IOException {
        String source = Files.readString(MODULE.resolve(file));
        return source.substring(source.indexOf(from)).stripTrailing();
    }

    @Test
    @DisplayName("the policy")
    void policy() throws IOException {
        assertThat(readme()).contains("```java\n"
                + block("main/java/com/example/autoscaler/PerWorkerPolicyProvider.java", "/** One active worker") + "\n```");
    }

    @Test
    @DisplayName("its services file")
    void servicesFile() throws IOException {
        assertThat(readme()).contains("```\n"
                + block("main/resources/META-INF/services/dev.autoscaler.spi.ScalingPolicyProvider", "com.") + "\n```");
    }

    @Test
    @DisplayName("its test, which uses only the kit and is under 40 lines")
    void test() throws IOException {
        String file = "test/java/com/example/autoscaler/PerWorkerPolicyTest.java";
        assertThat(readme()).contains("```java\n" + block(file, "/** The kit") + "\n```");
        String source = Files.readString(MODULE.resolve(file));
        assertThat(source.lines().count()).isLessThan(40);
        assertThat(source.lines().filter(l -> l.startsWith("import ")).map(l -> l.replaceFirst("import (static )?", "")))
                .allMatch(i -> i.startsWith("dev.autoscaler.testkit.") || i.startsWith("dev.autoscaler.")
                        && !i.startsWith("dev.autoscaler.core") || i.startsWith("org.junit.") || i.startsWith("org.assertj.")
                        || i.startsWith("java.util."), "the api, the kit, JUnit, AssertJ or java.util");
    }
}
