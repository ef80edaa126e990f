package dev.autoscaler.core.plugin;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The plugin jars of a directory (every {@code *.jar} in it, not below), as one class loader whose
 * parent is the program's: a program that runs with {@code java -jar}, which ignores the class path,
 * loads its plugins this way. Make it the thread's context class loader (or pass it to
 * {@code ScalingPolicies.load(loader)}) and {@link PluginRegistry#defaultLoaders} finds what the
 * jars register in {@code META-INF/services}.
 *
 * <p>A broken jar does not stop the others: a file that is not a readable jar, and a jar whose
 * {@code META-INF/services/dev.autoscaler.spi.*} file names a class that cannot be loaded (missing,
 * a dependency missing, not an implementation of the service), is left out, and {@link #problems()}
 * names it and says why (the caller shows them: nothing is logged here). Jars are read in name
 * order; they may depend on one another.
 */
public final class PluginJars implements Closeable {
    private static final String SERVICES = "META-INF/services/";
    /** Only the services this library defines are checked: a library jar's other services are not ours to judge. */
    private static final String SPI_PREFIX = "dev.autoscaler.spi.";

    private final Path directory;
    private final List<Path> jars;
    private final List<String> problems;
    private final URLClassLoader loader;

    private PluginJars(Path directory, List<Path> jars, List<String> problems, URLClassLoader loader) {
        this.directory = directory;
        this.jars = List.copyOf(jars);
        this.problems = List.copyOf(problems);
        this.loader = loader;
    }

    /**
     * Opens the jars of {@code directory}.
     *
     * @param parent the program's class loader, which holds the api and the built-in plugins
     * @throws UncheckedIOException when the directory cannot be listed (it does not exist, or is a file)
     */
    public static PluginJars open(Path directory, ClassLoader parent) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new UncheckedIOException(new IOException("plugin directory " + directory + " is not a directory"));
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(directory)) {
            candidates = files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugin directory " + directory, e);
        }
        List<String> problems = new ArrayList<>();
        Map<Path, Map<String, List<String>>> readable = new LinkedHashMap<>();
        for (Path jar : candidates) {
            try {
                readable.put(jar, services(jar));
            } catch (IOException | RuntimeException e) {
                problems.add("plugin jar " + jar + " skipped: not a readable jar (" + e + ")");
            }
        }
        // Check every class the jars register, with all readable jars in view (one may need another).
        List<Path> good = new ArrayList<>();
        try (URLClassLoader trial = new URLClassLoader(urls(readable.keySet()), parent)) {
            for (Map.Entry<Path, Map<String, List<String>>> jar : readable.entrySet()) {
                String broken = firstBrokenProvider(jar.getValue(), trial);
                if (broken == null) {
                    good.add(jar.getKey());
                } else {
                    problems.add("plugin jar " + jar.getKey() + " skipped: " + broken);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PluginJars(directory, good, problems, new URLClassLoader("plugins", urls(good), parent));
    }

    /** The directory the jars came from. */
    public Path directory() {
        return directory;
    }

    /** The jars loaded, in name order. */
    public List<Path> jars() {
        return jars;
    }

    /** One line per jar left out, naming it and why. */
    public List<String> problems() {
        return problems;
    }

    /** The class loader over the jars loaded; its parent is the one {@link #open} was given. */
    public ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    /** The jar's {@code dev.autoscaler.spi} services files: service name to the class names they list. */
    private static Map<String, List<String>> services(Path jar) throws IOException {
        Map<String, List<String>> services = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith(SERVICES + SPI_PREFIX) || entry.isDirectory()) {
                    continue;
                }
                List<String> classes = new ArrayList<>();
                try (InputStream in = file.getInputStream(entry);
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        String className = line.replaceFirst("#.*", "").trim();
                        if (!className.isEmpty()) {
                            classes.add(className);
                        }
                    }
                }
                services.put(name.substring(SERVICES.length()), classes);
            }
        }
        return services;
    }

    /** Why the first registered class that cannot serve fails, or null when all can. */
    private static String firstBrokenProvider(Map<String, List<String>> services, ClassLoader loader) {
        for (Map.Entry<String, List<String>> service : services.entrySet()) {
            String file = SERVICES + service.getKey();
            Class<?> type;
            try {
                type = Class.forName(service.getKey(), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return file + " names a service this program does not have (" + e + ")";
            }
            for (String className : service.getValue()) {
                try {
                    Class<?> provider = Class.forName(className, false, loader);
                    if (!type.isAssignableFrom(provider)) {
                        return file + " names " + className + ", which does not implement " + type.getName();
                    }
                    if (!hasProviderMethod(provider)) {
                        provider.getConstructor(); // else ServiceLoader needs a public no-argument constructor
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    return file + " names " + className + ", which cannot be loaded (" + e + ")";
                } catch (NoSuchMethodException e) {
                    return file + " names " + className + ", which has no public no-argument constructor";
                }
            }
        }
        return null;
    }

    /** A public static {@code provider()} method, which ServiceLoader prefers to a constructor. */
    private static boolean hasProviderMethod(Class<?> provider) {
        try {
            return java.lang.reflect.Modifier.isStatic(provider.getMethod("provider").getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static URL[] urls(Iterable<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a file: " + jar, e);
            }
        }
        return urls.toArray(URL[]::new);
    }
}
