package dev.autoscaler.examples.cli;

import dev.autoscaler.Clock;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code autoscaler fake-vast [--port P] [--boot-seconds S] [--emulate-workers]}: the fake Vast API
 * ({@link FakeVastServer}) on the system clock, on loopback, until the process is stopped. Point
 * {@code serve}'s {@code vast} provider at it with {@code base_url} and the printed API key; with
 * {@code --emulate-workers} its instances' workers report to the engine, so the engine scales up and
 * down with no GPU and no Vast account.
 */
final class FakeVastCommand implements Main.Command {
    /** Instances go from create to running in this long unless {@code --boot-seconds} says. */
    static final double DEFAULT_BOOT_SECONDS = 10;

    /** The parsed command line. */
    record Options(int port, double bootSeconds, boolean emulateWorkers) {
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options options = parse(args);
        FakeVastServer fake = start(options);
        out.println("fake Vast API on " + fake.baseUrl() + " (api_key " + fake.apiKey() + ", boot "
                + options.bootSeconds() + " s, workers " + (options.emulateWorkers() ? "emulated" : "not emulated")
                + "); Ctrl-C stops it");
        out.println("provider: {name: vast, settings: {base_url: \"" + fake.baseUrl() + "\", api_key: \""
                + fake.apiKey() + "\"}}");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stopped.countDown();
        }, "fake-vast-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fake.close();
        }
        return 0;
    }

    /** Reads the options; a bad one is a {@link UsageException} naming it. */
    static Options parse(String[] args) {
        Integer port = null;
        Double boot = null;
        boolean emulate = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> {
                    if (port != null) {
                        throw new UsageException("--port is given twice");
                    }
                    port = port(value(args, i++, arg));
                }
                case "--boot-seconds" -> {
                    if (boot != null) {
                        throw new UsageException("--boot-seconds is given twice");
                    }
                    boot = bootSeconds(value(args, i++, arg));
                }
                case "--emulate-workers" -> emulate = true;
                default -> throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                        : "unexpected argument '" + arg + "'");
            }
        }
        return new Options(port == null ? 0 : port, boot == null ? DEFAULT_BOOT_SECONDS : boot, emulate);
    }

    /** Starts the fake the options describe, on the system clock. */
    static FakeVastServer start(Options options) {
        FakeVastServer.Builder builder = FakeVastServer.builder(Clock.system()).port(options.port())
                .bootDelay(Duration.ofNanos(Math.round(options.bootSeconds() * 1e9)));
        if (options.emulateWorkers()) {
            builder.emulateWorkers();
        }
        return builder.start();
    }

    private static String value(String[] args, int i, String option) {
        if (i + 1 >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i + 1];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is wanted
        }
        throw new UsageException("--port must be an integer in 0..65535, got '" + text + "'");
    }

    private static double bootSeconds(String text) {
        try {
            double seconds = Double.parseDouble(text);
            if (seconds >= 0 && seconds <= 86_400) {
                return seconds;
            }
        } catch (NumberFormatException ignored) {
            // the message below says what is wanted
        }
        throw new UsageException("--boot-seconds must be a number of seconds in 0..86400, got '" + text + "'");
    }

    @Override
    public String usage() {
        return "  fake-vast [--port P] [--boot-seconds S] [--emulate-workers]\n"
                + "      a fake Vast API on 127.0.0.1 (port 0: a free one; boot default " + (int) DEFAULT_BOOT_SECONDS
                + " s) for serve's vast provider (base_url);\n"
                + "      --emulate-workers: its instances' workers report to the engine (REPORT_ADDR)\n";
    }
}
