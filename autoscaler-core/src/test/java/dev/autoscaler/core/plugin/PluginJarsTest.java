package dev.autoscaler.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.core.policy.ScalingPolicies;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("PluginJars: a directory of plugin jars as one class loader")
class PluginJarsTest {
    private static final String POLICY_SERVICE = "META-INF/services/dev.autoscaler.spi.ScalingPolicyProvider";

    static void jar(Path file, String entry, String content) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry(entry));
            jar.write(content.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }

    @Test
    @DisplayName("a broken jar is named with why it was left out, and does not stop the others")
    void brokenJarsNamed(@TempDir Path dir) throws IOException {
        // a jar that registers a class the program has: good
        jar(dir.resolve("a-good.jar"), POLICY_SERVICE, "# comment\ndev.autoscaler.core.policy.FixedScalingPolicyProvider\n");
        Files.write(dir.resolve("b-garbage.jar"), new byte[] {1, 2, 3, 4});
        jar(dir.resolve("c-missing.jar"), POLICY_SERVICE, "com.nowhere.MissingPolicyProvider\n");
        jar(dir.resolve("d-wrong-type.jar"), POLICY_SERVICE, "java.lang.String\n");
        Files.writeString(dir.resolve("notes.txt"), "not a jar: ignored");

        try (PluginJars plugins = PluginJars.open(dir, getClass().getClassLoader())) {
            assertThat(plugins.jars()).containsExactly(dir.resolve("a-good.jar"));
            assertThat(plugins.problems()).hasSize(3);
            assertThat(plugins.problems().get(0)).contains("b-garbage.jar").contains("not a readable jar");
            assertThat(plugins.problems().get(1)).contains("c-missing.jar")
                    .contains("com.nowhere.MissingPolicyProvider, which cannot be loaded");
            assertThat(plugins.problems().get(2)).contains("d-wrong-type.jar")
                    .contains("does not implement dev.autoscaler.spi.ScalingPolicyProvider");
        }
    }

    @Test
    @DisplayName("as the context class loader, its plugins are found once beside the built-ins")
    void foundThroughTheContextLoader(@TempDir Path dir) throws IOException {
        jar(dir.resolve("again.jar"), POLICY_SERVICE, "dev.autoscaler.core.policy.FixedScalingPolicyProvider\n");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (PluginJars plugins = PluginJars.open(dir, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(plugins.classLoader());
            ScalingPolicies policies = ScalingPolicies.load();

            assertThat(policies.names()).contains("fixed", "vast");
            assertThat(policies.problems()).isEmpty();
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    @DisplayName("a directory that does not exist is an error naming it")
    void missingDirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> PluginJars.open(dir.resolve("nope"), getClass().getClassLoader()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope");
    }
}
