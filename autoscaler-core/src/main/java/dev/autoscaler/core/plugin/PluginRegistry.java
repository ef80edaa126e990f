package dev.autoscaler.core.plugin;

import dev.autoscaler.PluginNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins of one kind (scaling policies, instance providers, routing strategies, ticket formats),
 * keyed by a stable name. Immutable and thread safe once built.
 *
 * <p>Discovery follows SLF4J's {@code LoggerFactory}: one broken provider must not take the others
 * down, so a provider that fails to load ({@link ServiceConfigurationError}: class missing, constructor
 * throws, not a subtype) or whose name cannot be read is skipped with a warning; when two plugins
 * share a name the first one found (class path order) wins and the other is reported; asking for a
 * missing name fails with a {@link PluginNotFoundException} that lists the names that were found. The
 * same rules apply to a registry built from an explicit list, so an embedder that registers plugins
 * by hand sees the same behaviour as one that relies on the class path.
 *
 * <p>Names are case-sensitive and must not be blank. Every problem met while building is logged once
 * (slf4j, {@code WARN}) and kept in {@link #problems()} for listings such as
 * {@code ./autoscaler policies}.
 *
 * @param <T> the service interface
 */
public final class PluginRegistry<T> {
    private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);
    /** Stops a service loader whose iterator keeps failing without making progress. */
    private static final int MAX_CONSECUTIVE_FAILURES = 1000;

    private final String kind;
    private final Map<String, T> byName;
    private final List<String> problems;

    private PluginRegistry(String kind, Map<String, T> byName, List<String> problems) {
        this.kind = kind;
        this.byName = byName;
        this.problems = List.copyOf(problems);
    }

    /**
     * Loads every implementation of {@code service} that {@code loader} can see.
     *
     * @param kind    what the plugins are, for messages, e.g. {@code "scaling policy"}
     * @param service the service interface
     * @param loader  where to look; null means the system class loader (as in {@link ServiceLoader})
     * @param nameOf  the stable name of a plugin, e.g. {@code ScalingPolicyProvider::name}
     */
    public static <T> PluginRegistry<T> load(String kind, Class<T> service, ClassLoader loader,
                                             Function<? super T, String> nameOf) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(nameOf, "nameOf");
        Collector<T> collector = new Collector<>(kind, nameOf);
        collect(service, loader, collector, new java.util.HashSet<>());
        return collector.build();
    }

    /**
     * Loads every implementation of {@code service} that the {@link #defaultLoaders default loaders}
     * of {@code home} can see: the one discovery path of the built-in registries (policies,
     * providers, routing strategies), so that plugins a program loads at run time
     * ({@link PluginJars}, as the thread's context class loader) are found like those on the class path.
     */
    public static <T> PluginRegistry<T> loadVisible(String kind, Class<T> service, Class<?> home,
                                                    Function<? super T, String> nameOf) {
        return load(kind, service, defaultLoaders(home), nameOf);
    }

    /**
     * Where plugins are looked for by default: the class loader of {@code home} (the library's: it
     * always sees the built-ins and whatever is on the same class path, as SLF4J does), then the
     * calling thread's context class loader when it is another one (a program's plugin directory, an
     * application server's deployment).
     */
    public static List<ClassLoader> defaultLoaders(Class<?> home) {
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(home.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != home.getClassLoader()) {
            loaders.add(context);
        }
        return loaders;
    }

    /**
     * Loads every implementation of {@code service} that any of {@code loaders} can see, in that order;
     * a class found through several of them (a child loader sees its parent's) counts once.
     */
    public static <T> PluginRegistry<T> load(String kind, Class<T> service, List<ClassLoader> loaders,
                                             Function<? super T, String> nameOf) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(nameOf, "nameOf");
        Collector<T> collector = new Collector<>(kind, nameOf);
        java.util.Set<Class<?>> seen = new java.util.HashSet<>();
        for (ClassLoader loader : loaders) {
            collect(service, loader, collector, seen);
        }
        return collector.build();
    }

    /**
     * A registry of the given plugins, in the given order (the first of a duplicate name wins).
     * Null elements are skipped with a warning.
     */
    public static <T> PluginRegistry<T> of(String kind, Function<? super T, String> nameOf,
                                           Collection<? extends T> plugins) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nameOf, "nameOf");
        Objects.requireNonNull(plugins, "plugins");
        Collector<T> collector = new Collector<>(kind, nameOf);
        for (T plugin : plugins) {
            if (plugin == null) {
                collector.problem("skipped a null " + kind, null);
            } else {
                collector.add(plugin);
            }
        }
        return collector.build();
    }

    private static <T> void collect(Class<T> service, ClassLoader loader, Collector<T> collector, java.util.Set<Class<?>> seen) {
        // A generic loader: in a named module, ServiceLoader answers only for services the caller
        // declares it uses, so declare this one (a no-op on the class path).
        PluginRegistry.class.getModule().addUses(service);
        Iterator<ServiceLoader.Provider<T>> iterator = ServiceLoader.load(service, loader).stream().iterator();
        int consecutiveFailures = 0;
        while (consecutiveFailures < MAX_CONSECUTIVE_FAILURES) {
            T plugin;
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                ServiceLoader.Provider<T> provider = iterator.next();
                if (!seen.add(provider.type())) {
                    consecutiveFailures = 0;
                    continue; // found through an earlier loader already
                }
                plugin = provider.get();
            } catch (ServiceConfigurationError e) {
                consecutiveFailures++;
                collector.problem("skipped a " + collector.kind + " provider that failed to load: " + e.getMessage(), e);
                continue;
            }
            consecutiveFailures = 0;
            collector.add(plugin);
        }
        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            collector.problem("stopped loading " + collector.kind + " providers after " + consecutiveFailures
                    + " failures in a row", null);
        }
    }

    /** What the plugins are, e.g. {@code "scaling policy"}. */
    public String kind() {
        return kind;
    }

    /** The names found, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The plugins, in the order of their names. */
    public List<T> plugins() {
        return List.copyOf(byName.values());
    }

    public Optional<T> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    /**
     * The plugin named {@code name}.
     *
     * @throws PluginNotFoundException when there is none; its message lists the names found
     */
    public T require(String name) {
        return find(name).orElseThrow(() -> new PluginNotFoundException(kind, String.valueOf(name), names()));
    }

    public boolean contains(String name) {
        return find(name).isPresent();
    }

    public int size() {
        return byName.size();
    }

    /** The problems met while building (skipped providers, duplicate names), in the order met. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return "PluginRegistry{" + kind + ": " + String.join(", ", byName.keySet()) + "}";
    }

    /** Accumulates plugins and problems while a registry is built. */
    private static final class Collector<T> {
        private final String kind;
        private final Function<? super T, String> nameOf;
        private final Map<String, T> byName = new TreeMap<>();
        private final List<String> problems = new ArrayList<>();

        Collector(String kind, Function<? super T, String> nameOf) {
            this.kind = kind;
            this.nameOf = nameOf;
        }

        void add(T plugin) {
            String className = plugin.getClass().getName();
            String name;
            try {
                name = nameOf.apply(plugin);
            } catch (RuntimeException | LinkageError e) {
                problem("skipped " + kind + " " + className + ": its name() failed: " + e, e);
                return;
            }
            if (name == null || name.isBlank()) {
                problem("skipped " + kind + " " + className + ": its name is blank", null);
                return;
            }
            T first = byName.putIfAbsent(name, plugin);
            if (first != null) {
                problem("two " + kind + " plugins are named '" + name + "': kept " + first.getClass().getName()
                        + ", ignored " + className, null);
            }
        }

        void problem(String message, Throwable cause) {
            problems.add(message);
            log.warn(message);
            if (cause != null) {
                log.debug("cause of: {}", message, cause);
            }
        }

        PluginRegistry<T> build() {
            return new PluginRegistry<>(kind, byName, problems);
        }
    }
}
