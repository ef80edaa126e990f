package dev.autoscaler.server;

import dev.autoscaler.InvalidConfigException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code autoscaler serve --config FILE}: the engine and its HTTP surface, with the provider the
 * config names (e.g. {@code vast} with {@code VAST_API_KEY}), until the process is stopped (SIGINT or
 * SIGTERM close it cleanly and do what the config's {@code shutdown} says: by default instances are
 * left for the next start to adopt; a summary of what was left is printed).
 */
public final class ServeCommand {

    /** A bad command line; the message names the bad option. */
    public static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    /**
     * The log level {@code serve} runs at unless {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} says
     * otherwise: INFO, so that each scaling decision shows (one line each, see {@link DecisionLog}).
     */
    public static final String DEFAULT_LOG_LEVEL = "info";

    /** {@code java -cp ... dev.autoscaler.server.ServeCommand --config FILE}: serve alone, without the examples' program. */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", DEFAULT_LOG_LEVEL);
        }
        int status;
        try {
            status = new ServeCommand().run(args, System.out, System.err);
        } catch (UsageError e) {
            System.err.println("serve: " + e.getMessage());
            System.err.print(new ServeCommand().usage());
            status = 2;
        }
        System.exit(status);
    }

    /**
     * Runs until the process is stopped; returns 0 then, or 2 when the config is invalid.
     *
     * @throws UsageError for a bad command line
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        DecisionLog.Format logFormat = DecisionLog.Format.TEXT;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
            } else if (args[i].equals("--log-format") || args[i].startsWith("--log-format=")) {
                String value = args[i].contains("=") ? args[i].substring(args[i].indexOf('=') + 1)
                        : i + 1 < args.length ? args[++i] : "";
                try {
                    logFormat = DecisionLog.Format.of(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageError(e.getMessage());
                }
            } else {
                throw new UsageError("unknown option '" + args[i] + "'");
            }
        }
        if (file == null) {
            throw new UsageError("--config FILE is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageError("--config: no such file " + file);
        }
        ServerConfigLoader.Checked checked = new ServerConfigLoader().check(file);
        if (!checked.ok()) {
            for (InvalidConfigException e : checked.errors()) {
                err.println("autoscaler serve: " + file + ": " + e.getMessage());
            }
            return 2;
        }
        ServerConfig config = checked.config();
        ConfiguredServer server = ConfiguredServer.start(config, DecisionLog.standard(logFormat));
        out.println("autoscaler: serving " + server.engine().endpointNames().size() + " endpoint(s) on " + server.baseUrl()
                + " (public " + config.publicUrl() + ", provider " + config.providerName() + ")");
        if (config.dashboard()) {
            out.println("autoscaler: dashboard at " + server.baseUrl() + "/dashboard/");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("autoscaler: stopping (shutdown: " + config.shutdown().wireName() + ", at most "
                    + config.shutdownTimeout().toSeconds() + " s)");
            server.close();
            server.shutdownSummary().ifPresent(s -> out.println("autoscaler: " + s.describe()));
            out.flush();
            stopped.countDown();
        }, "autoscaler-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }

    /** {@return the usage lines, indented by two spaces} */
    public String usage() {
        return "  serve --config FILE [--log-format text|json]\n"
                + "      run the engine and its HTTP API from a JSON or YAML config; logs each scaling decision at INFO\n"
                + "      (text: key=value on stderr; json: one object a line on stdout)\n";
    }
}
