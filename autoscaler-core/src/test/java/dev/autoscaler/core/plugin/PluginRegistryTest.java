package dev.autoscaler.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.PluginNotFoundException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("plugin registry")
class PluginRegistryTest {

    /** A service interface of the test's own, so that the class path holds no other provider of it. */
    public interface Greeter {
        String name();
    }

    public static final class Hello implements Greeter {
        @Override
        public String name() {
            return "hello";
        }
    }

    public static final class Bonjour implements Greeter {
        @Override
        public String name() {
            return "bonjour";
        }
    }

    /** Claims a name another provider already has. */
    public static final class OtherHello implements Greeter {
        @Override
        public String name() {
            return "hello";
        }
    }

    public static final class ThrowsInConstructor implements Greeter {
        public ThrowsInConstructor() {
            throw new IllegalStateException("cannot start");
        }

        @Override
        public String name() {
            return "never";
        }
    }

    public static final class ThrowsInName implements Greeter {
        @Override
        public String name() {
            throw new UnsupportedOperationException("no name");
        }
    }

    public static final class BlankName implements Greeter {
        @Override
        public String name() {
            return " ";
        }
    }

    /** Listed as a provider but does not implement the service. */
    public static final class NotAGreeter {
    }

    private static Greeter named(String name) {
        return () -> name;
    }

    private static PluginRegistry<Greeter> of(Greeter... greeters) {
        return PluginRegistry.of("greeter", Greeter::name, Arrays.asList(greeters));
    }

    @Nested
    @DisplayName("from an explicit list")
    class FromList {
        @Test
        @DisplayName("names are sorted")
        void namesSorted() {
            assertThat(of(named("zulu"), named("alpha"), named("mike")).names()).containsExactly("alpha", "mike", "zulu");
        }

        @Test
        @DisplayName("plugins come in the order of their names")
        void pluginsInNameOrder() {
            Greeter b = named("b");
            Greeter a = named("a");

            assertThat(of(b, a).plugins()).containsExactly(a, b);
        }

        @Test
        @DisplayName("find answers the plugin by name, or empty")
        void find() {
            Greeter hello = new Hello();
            PluginRegistry<Greeter> registry = of(hello);

            assertThat(registry.find("hello")).containsSame(hello);
            assertThat(registry.find("nope")).isEmpty();
            assertThat(registry.find(null)).isEmpty();
        }

        @Test
        @DisplayName("names are case-sensitive")
        void caseSensitive() {
            assertThat(of(new Hello()).find("Hello")).isEmpty();
        }

        @Test
        @DisplayName("require of a missing name lists the names found")
        void requireMissing() {
            assertThatThrownBy(() -> of(new Hello(), new Bonjour()).require("hola"))
                    .isInstanceOf(PluginNotFoundException.class)
                    .hasMessage("no greeter named 'hola'; found: bonjour, hello")
                    .satisfies(e -> {
                        PluginNotFoundException notFound = (PluginNotFoundException) e;
                        assertThat(notFound.kind()).isEqualTo("greeter");
                        assertThat(notFound.name()).isEqualTo("hola");
                        assertThat(notFound.available()).containsExactly("bonjour", "hello");
                    });
        }

        @Test
        @DisplayName("require in an empty registry says none was found")
        void requireFromEmpty() {
            assertThatThrownBy(() -> of().require("hola"))
                    .isInstanceOf(PluginNotFoundException.class)
                    .hasMessage("no greeter named 'hola'; found: (none)");
        }

        @Test
        @DisplayName("of a duplicate name the first wins and the other is reported")
        void duplicateFirstWins() {
            Greeter first = new Hello();
            PluginRegistry<Greeter> registry = of(first, new OtherHello());

            assertThat(registry.require("hello")).isSameAs(first);
            assertThat(registry.size()).isEqualTo(1);
            assertThat(registry.problems()).singleElement().asString()
                    .contains("'hello'", Hello.class.getName(), OtherHello.class.getName());
        }

        @Test
        @DisplayName("a plugin whose name() throws is skipped, the others kept")
        void nameThrows() {
            PluginRegistry<Greeter> registry = of(new ThrowsInName(), new Hello());

            assertThat(registry.names()).containsExactly("hello");
            assertThat(registry.problems()).singleElement().asString().contains(ThrowsInName.class.getName());
        }

        @Test
        @DisplayName("a blank name is skipped")
        void blankName() {
            assertThat(of(new BlankName(), named(null)).names()).isEmpty();
        }

        @Test
        @DisplayName("a null element is skipped")
        void nullElement() {
            PluginRegistry<Greeter> registry = of(null, new Hello());

            assertThat(registry.names()).containsExactly("hello");
            assertThat(registry.problems()).hasSize(1);
        }

        @Test
        @DisplayName("the registry does not change when the list does")
        void copiesTheList() {
            List<Greeter> list = new java.util.ArrayList<>(List.of(new Hello()));
            PluginRegistry<Greeter> registry = PluginRegistry.of("greeter", Greeter::name, list);
            list.add(new Bonjour());

            assertThat(registry.names()).containsExactly("hello");
        }
    }

    @Nested
    @DisplayName("with ServiceLoader")
    class WithServiceLoader {
        @TempDir
        Path dir;

        /** A class loader that sees the test classes plus a services file listing {@code lines}. */
        private ClassLoader loaderListing(String... lines) throws IOException {
            Path services = dir.resolve("META-INF/services");
            Files.createDirectories(services);
            Files.write(services.resolve(Greeter.class.getName()), List.of(lines));
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, PluginRegistryTest.class.getClassLoader());
        }

        private PluginRegistry<Greeter> load(String... lines) throws IOException {
            return PluginRegistry.load("greeter", Greeter.class, loaderListing(lines), Greeter::name);
        }

        @Test
        @DisplayName("finds the registered providers")
        void findsProviders() throws IOException {
            PluginRegistry<Greeter> registry = load(Hello.class.getName(), Bonjour.class.getName());

            assertThat(registry.names()).containsExactly("bonjour", "hello");
            assertThat(registry.require("hello")).isInstanceOf(Hello.class);
            assertThat(registry.problems()).isEmpty();
        }

        @Test
        @DisplayName("skips a provider whose class is missing, keeps the rest")
        void missingClass() throws IOException {
            PluginRegistry<Greeter> registry = load(Hello.class.getName(), "com.example.Missing", Bonjour.class.getName());

            assertThat(registry.names()).containsExactly("bonjour", "hello");
            assertThat(registry.problems()).singleElement().asString().contains("com.example.Missing");
        }

        @Test
        @DisplayName("skips a provider whose constructor throws")
        void constructorThrows() throws IOException {
            PluginRegistry<Greeter> registry = load(ThrowsInConstructor.class.getName(), Hello.class.getName());

            assertThat(registry.names()).containsExactly("hello");
            assertThat(registry.problems()).singleElement().asString().contains(ThrowsInConstructor.class.getName());
        }

        @Test
        @DisplayName("skips a listed class that is not a provider of the service")
        void notASubtype() throws IOException {
            PluginRegistry<Greeter> registry = load(NotAGreeter.class.getName(), Hello.class.getName());

            assertThat(registry.names()).containsExactly("hello");
            assertThat(registry.problems()).hasSize(1);
        }

        @Test
        @DisplayName("keeps the first of a duplicate name, in class path order")
        void duplicates() throws IOException {
            PluginRegistry<Greeter> registry = load(OtherHello.class.getName(), Hello.class.getName());

            assertThat(registry.require("hello")).isInstanceOf(OtherHello.class);
            assertThat(registry.problems()).hasSize(1);
        }

        @Test
        @DisplayName("finds nothing when nothing is registered")
        void nothing() {
            PluginRegistry<Greeter> registry = PluginRegistry.load("greeter", Greeter.class,
                    PluginRegistryTest.class.getClassLoader(), Greeter::name);

            assertThat(registry.names()).isEmpty();
            assertThat(registry.problems()).isEmpty();
        }
    }
}
