package dev.autoscaler.examples.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code autoscaler} command ({@code ./autoscaler} at the repository root runs it). Commands:
 * {@code demo}, {@code simulate}, {@code bench}, {@code policies}, {@code serve}, {@code fake-vast}; {@code --help} prints the usage. A bad command line prints
 * what is wrong and the usage, and exits 2; a failure while running exits 1.
 */
public final class Main {
    /** Exit status of a bad command line. */
    public static final int USAGE = 2;
    /** Exit status of a failure while running. */
    public static final int FAILED = 1;

    private final Map<String, Command> commands = new LinkedHashMap<>();

    Main() {
        commands.put("simulate", new SimulateCommand());
        commands.put("bench", new BenchCommand());
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
    int run(String[] args, PrintStream out, PrintStream err) {
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
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("autoscaler " + args[0] + ": " + e.getMessage());
            err.print(usage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println("autoscaler " + args[0] + ": " + e.getMessage());
            return FAILED;
        }
    }

    String usage() {
        StringBuilder b = new StringBuilder("usage: autoscaler <command> [options]\n\ncommands:\n");
        for (Command c : commands.values()) {
            b.append(c.usage());
        }
        b.append("  --help\n      this message\n");
        return b.toString();
    }
}
