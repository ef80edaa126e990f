package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program loads plugin jars: the example plugin module ({@code autoscaler-example-policy}) is
 * compiled here from its sources, as its own build would, and packed into a jar with its services
 * file, in a directory beside a broken jar. Its policy is not on this module's class path, so only the
 * plugin directory can make it visible.
 */
@DisplayName("The program loads plugins from --plugins DIR, AUTOSCALER_PLUGINS or plugins/ beside the jar")
class PluginLoadingTest {
    private static final Path PLUGIN_MODULE = Path.of("../autoscaler-example-policy");
    private static final String POLICY = "per-worker";

    @TempDir
    static Path plugins;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void buildThePluginJar(@TempDir Path classes) throws IOException {
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path")));
        try (Stream<Path> sources = Files.walk(PLUGIN_MODULE.resolve("src/main/java"))) {
            sources.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac of the example plugin").isZero();
        try (OutputStream file = Files.newOutputStream(plugins.resolve("example-policy.jar"));
             JarOutputStream jar = new JarOutputStream(file)) {
            for (Path root : List.of(classes, PLUGIN_MODULE.resolve("src/main/resources"))) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        jar.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
                        jar.write(Files.readAllBytes(f));
                        jar.closeEntry();
                    }
                }
            }
        }
        Files.write(plugins.resolve("broken.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
    }

    private int run(Map<String, String> env, Optional<Path> besideJar, String... args) {
        return new Main(env, besideJar).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("without a plugin directory the plugin's policy is not there (it is not on the class path)")
    void notOnTheClassPath() {
        assertThat(run(Map.of(), Optional.empty(), "policies")).isZero();
        assertThat(out()).contains("vast").doesNotContain(POLICY);
    }

    @Test
    @DisplayName("policies --plugins DIR lists it beside the built-ins, and names the broken jar")
    void listedWithTheOption() {
        assertThat(run(Map.of(), Optional.empty(), "policies", "--plugins", plugins.toString())).isZero();
        assertThat(out()).contains(POLICY + "  one active worker per per_worker").contains("vast").contains("fixed");
        assertThat(err()).contains("broken.jar skipped: not a readable jar");
    }

    @Test
    @DisplayName("simulate --policy NAME runs it, with AUTOSCALER_PLUGINS")
    void simulatedWithTheEnvironment() {
        int status = run(Map.of("AUTOSCALER_PLUGINS", plugins.toString()), Optional.empty(),
                "simulate", "--scenario", "step", "--policy", POLICY, "--json");

        assertThat(status).as(err()).isZero();
        assertThat(out()).contains("\"served\":").contains("\"max_workers_respected\":true");
    }

    @Test
    @DisplayName("plugins/ beside the jar is the default")
    void besideTheJar() {
        assertThat(run(Map.of(), Optional.of(plugins), "--plugins", plugins.toString(), "policies")).isZero();
        out.reset();
        assertThat(run(Map.of(), Optional.of(plugins), "policies")).isZero();
        assertThat(out()).contains(POLICY);
    }

    @Test
    @DisplayName("a plugin directory that does not exist is a usage error naming it")
    void missingDirectory() {
        assertThat(run(Map.of(), Optional.empty(), "--plugins", "/no/such/dir", "policies")).isEqualTo(Main.USAGE);
        assertThat(err()).contains("--plugins: /no/such/dir is not a directory");
    }
}
