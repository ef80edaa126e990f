package dev.autoscaler.examples.cli;

import dev.autoscaler.core.plugin.PluginJars;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code autoscaler} command ({@code ./autoscaler} at the repository root runs it). Commands:
 * {@code demo}, {@code simulate}, {@code policies}, {@code serve}, {@code fake-vast}; {@code --help} prints the usage. A bad command line prints
 * what is wrong and the usage, and exits 2; a failure while running exits 1. Plugin jars are loaded
 * from {@code --plugins DIR}, {@code AUTOSCALER_PLUGINS} or {@code plugins/} beside the jar
 * ({@link PluginDirectory}): {@code java -jar} ignores the class path.
 */
public final class Main {
    /** Exit status of a bad command line. */
    public static final int USAGE = 2;
    /** Exit status of a failure while running. */
    public static final int FAILED = 1;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final Optional<Path> pluginsBesideJar;

    Main() {
        this(System.getenv(), PluginDirectory.besideJar());
    }

    /** A program that reads {@code env} for its settings and looks for plugins in {@code pluginsBesideJar}. */
    Main(Map<String, String> env, Optional<Path> pluginsBesideJar) {
        this.env = Map.copyOf(env);
        this.pluginsBesideJar = pluginsBesideJar;
        commands.put("simulate", new SimulateCommand());
        commands.put("policies", new PoliciesCommand());
        commands.put("serve", new ServeCliCommand());
        commands.put("demo", new DemoCliCommand());
        commands.put("fake-vast", new FakeVastCommand());
    }

    /** One subcommand. */
    interface Command {
        /** @throws UsageException for a bad argument, naming it */
        int run(String[] args, PrintStream out, PrintStream err);

        /** Usage lines, indented by two spaces. */
        String usage();
    }

    public static void main(String[] args) {
        // Quiet by default: stdout carries the results (a JSON object may be piped), stderr warnings.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new Main().run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit status. */
    int run(String[] commandLine, PrintStream out, PrintStream err) {
        PluginDirectory plugins;
        try {
            plugins = PluginDirectory.of(commandLine, env, pluginsBesideJar);
        } catch (UsageException e) {
            err.println("autoscaler: " + e.getMessage());
            err.print(usage());
            return USAGE;
        }
        String[] args = plugins.rest();
        if (args.length == 0) {
            err.println("autoscaler: a command is required");
            err.print(usage());
            return USAGE;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("autoscaler: unknown command '" + args[0] + "'; commands: " + String.join(", ", commands.keySet()));
            err.print(usage());
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help")) {
            out.print(usage());
            return 0;
        }
        if (plugins.dir().isEmpty()) {
            return runCommand(command, args[0], rest, out, err);
        }
        // The plugin jars' loader is the context class loader while the command runs: the one discovery
        // path (PluginRegistry.loadVisible) finds their policies, providers and strategies; threads the
        // command starts inherit it.
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (PluginJars jars = PluginJars.open(plugins.dir().get(), Main.class.getClassLoader())) {
            jars.problems().forEach(problem -> err.println("autoscaler: " + problem));
            thread.setContextClassLoader(jars.classLoader());
            return runCommand(command, args[0], rest, out, err);
        } catch (IOException | UncheckedIOException e) {
            err.println("autoscaler: plugins (" + plugins.named() + "): " + e.getMessage());
            return FAILED;
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private int runCommand(Command command, String name, String[] rest, PrintStream out, PrintStream err) {
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("autoscaler " + name + ": " + e.getMessage());
            err.print(usage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println("autoscaler " + name + ": " + e.getMessage());
            return FAILED;
        }
    }

    String usage() {
        StringBuilder b = new StringBuilder("usage: autoscaler <command> [options]\n\ncommands:\n");
        for (Command c : commands.values()) {
            b.append(c.usage());
        }
        b.append("  --help\n      this message\n");
        b.append("\n  " + PluginDirectory.OPTION + " DIR (before or after the command)\n"
                + "      load the plugin jars (policies, providers, routing strategies) of DIR; default: $"
                + PluginDirectory.ENV + ",\n      else plugins/ beside the jar. A broken jar is named and left out.\n");
        return b.toString();
    }
}
