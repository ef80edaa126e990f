package dev.autoscaler.examples.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the program's plugin jars are: {@code --plugins DIR} (before or after the command), else the
 * {@value #ENV} environment variable, else a {@code plugins/} directory beside the program's jar when
 * there is one. A directory named by the option or the variable must exist; the one beside the jar
 * is optional.
 *
 * @param rest     the command line without {@code --plugins DIR}
 * @param dir      the directory to load plugin jars from, if any
 * @param named    how the directory was given, for messages ({@code --plugins}, {@value #ENV}, ...)
 */
record PluginDirectory(String[] rest, Optional<Path> dir, String named) {
    static final String OPTION = "--plugins";
    static final String ENV = "AUTOSCALER_PLUGINS";

    /** @throws UsageException when {@code --plugins} has no value, is given twice, or names no directory */
    static PluginDirectory of(String[] args, Map<String, String> env, Optional<Path> besideJar) {
        List<String> rest = new ArrayList<>();
        String option = null;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals(OPTION)) {
                rest.add(args[i]);
                continue;
            }
            if (option != null) {
                throw new UsageException(OPTION + " is given twice");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new UsageException(OPTION + " needs a directory");
            }
            option = args[++i];
        }
        String[] remaining = rest.toArray(String[]::new);
        if (option != null) {
            return new PluginDirectory(remaining, Optional.of(existing(Path.of(option), OPTION)), OPTION);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new PluginDirectory(remaining, Optional.of(existing(Path.of(fromEnv), ENV)), ENV);
        }
        return new PluginDirectory(remaining, besideJar.filter(Files::isDirectory), "plugins/ beside the jar");
    }

    /** {@code plugins/} in the directory of the jar this class runs from; empty when it runs from classes. */
    static Optional<Path> besideJar() {
        try {
            var source = Main.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            return location.toString().endsWith(".jar") ? Optional.of(location.resolveSibling("plugins"))
                    : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path existing(Path dir, String named) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException(named + ": " + dir + " is not a directory");
        }
        return dir;
    }
}
