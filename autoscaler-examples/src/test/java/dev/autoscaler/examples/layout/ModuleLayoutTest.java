package dev.autoscaler.examples.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layout drawn from the sources' own references: no package cycle anywhere, the library jars
 * free of programs and fixtures, and the README's module table naming exactly the build's modules.
 * It reads the main sources of every module of the repository (this module's tests run from
 * {@code autoscaler-examples}, one level below the root).
 */
@DisplayName("Module and package layout")
class ModuleLayoutTest {
    private static final Path ROOT = Path.of("..");
    /** A reference to a project type: {@code dev.autoscaler.core.router.Router}, {@code dev.autoscaler.Clock}. */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.autoscaler((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");

    /** package -> the packages its main sources refer to (itself excluded). */
    private static final Map<String, Set<String>> uses = new TreeMap<>();
    /** package -> the module that holds it. */
    private static final Map<String, String> moduleOf = new HashMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        for (String module : buildModules()) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (file.getFileName().toString().equals("module-info.java")) {
                        continue;
                    }
                    String text = Files.readString(file);
                    Matcher pkg = Pattern.compile("(?m)^package ([a-z0-9_.]+);").matcher(text);
                    if (!pkg.find()) {
                        continue;
                    }
                    String own = pkg.group(1);
                    moduleOf.put(own, module);
                    Set<String> refs = uses.computeIfAbsent(own, k -> new TreeSet<>());
                    for (String line : text.split("\n")) {
                        String trimmed = line.trim();
                        if (trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//")) {
                            continue; // javadoc may name what it does not depend on
                        }
                        Matcher m = REFERENCE.matcher(line);
                        while (m.find()) {
                            String target = "dev.autoscaler" + m.group(1);
                            if (!target.equals(own)) {
                                refs.add(target);
                            }
                        }
                    }
                }
            }
        }
        // nested types read as packages (dev.autoscaler.core.router.Router.Builder is fine): keep real packages only
        uses.values().forEach(refs -> refs.retainAll(uses.keySet()));
    }

    @Test
    @DisplayName("no package cycle in the main sources of any module")
    void noPackageCycle() {
        List<List<String>> cycles = stronglyConnected().stream().filter(c -> c.size() > 1).toList();
        assertThat(cycles).as("packages that depend on each other").isEmpty();
    }

    @Test
    @DisplayName("the library jars hold no program, simulator, fake or example")
    void libraryJarsHoldNoFixture() {
        Set<String> forbidden = Set.of("dev.autoscaler.sim", "dev.autoscaler.server", "dev.autoscaler.vast.fake",
                "dev.autoscaler.examples");
        for (String library : List.of("autoscaler-api", "autoscaler-core", "autoscaler-vast-provider")) {
            for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
                if (!library.equals(moduleOf.get(e.getKey()))) {
                    continue;
                }
                assertThat(e.getKey()).as("a package of " + library)
                        .matches(p -> forbidden.stream().noneMatch(f -> p.equals(f) || p.startsWith(f + ".")),
                                "not a fixture's package");
                for (String target : e.getValue()) {
                    assertThat(forbidden.stream().noneMatch(f -> target.equals(f) || target.startsWith(f + ".")))
                            .as(e.getKey() + " (" + library + ") refers to " + target).isTrue();
                }
            }
        }
    }

    @Test
    @DisplayName("the api refers to nothing outside itself")
    void apiStandsAlone() {
        uses.forEach((pkg, refs) -> {
            if ("autoscaler-api".equals(moduleOf.get(pkg))) {
                assertThat(refs).as(pkg + " refers to").allMatch(r -> "autoscaler-api".equals(moduleOf.get(r)));
            }
        });
    }

    @Test
    @DisplayName("the README's module table names exactly the build's modules")
    void readmeModuleTableMatchesTheBuild() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = readme.substring(readme.indexOf("## Modules"));
        table = table.substring(0, table.indexOf("\n## ", 3));
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(table);
        while (m.find()) {
            listed.add(m.group(1));
        }
        assertThat(listed).isEqualTo(new TreeSet<>(buildModules()));
    }

    private static List<String> buildModules() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            modules.add(m.group(1).trim());
        }
        assertThat(modules).as("modules of the root pom").isNotEmpty();
        return modules;
    }

    /** Tarjan's strongly connected components of the package graph. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<List<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String v : uses.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, components, counter);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<List<String>> components, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component.stream().sorted().collect(Collectors.toList()));
        }
    }
}
