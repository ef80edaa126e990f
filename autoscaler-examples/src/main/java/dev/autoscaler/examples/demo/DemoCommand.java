package dev.autoscaler.examples.demo;

import dev.autoscaler.Clock;
import dev.autoscaler.EndpointConfig;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.core.Autoscaler;
import dev.autoscaler.core.client.AutoscalerClient;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.server.ConfiguredServer;
import dev.autoscaler.examples.worker.Worker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code autoscaler demo}: the engine with the {@code local} provider (real worker JVMs on
 * loopback) behind its HTTP surface ({@link LocalDemoStack}), a load generator replaying a real
 * trace compressed in time through the two-step flow with the Java client, a live view in the
 * terminal, and at the end an HTML report ({@code demo-report/index.html}).
 *
 * <p>{@code --time-scale X} multiplies the trace's arrival times, as in {@code simulate} (the
 * default 1/30 plays the hour-long trace in two minutes), and the workers' world is compressed by
 * the same factor: a worker serves 2,000 tokens/s divided by X, loads its model in 120 s times X,
 * resumes in 15 s times X. Reports keep Vast's real cadence (1 s busy, 10 s idle).
 */
public final class DemoCommand {
    static final String ENDPOINT = "demo";
    static final String BUNDLED_TRACE = "azure-llm-2023-conv";
    static final double DEFAULT_TIME_SCALE = 1.0 / 30;
    private static final double GPU_TOKENS_PER_SECOND = 2000;
    private static final double COLD_LOAD_SECONDS = 120;
    private static final double WARM_LOAD_SECONDS = 15;
    /** Blocking client calls in flight at most; more wait for a thread (the client is synchronous). */
    private static final int CALLER_THREADS = 400;
    private static final Duration WARM_UP = Duration.ofSeconds(90);
    /** How long requests still in flight may take to finish once the replay has sent its last one. */
    private static final Duration DRAIN = Duration.ofSeconds(130);
    /** After the trace: idle time during which the view shows the endpoint scaling down. */
    static final Duration COOL_DOWN = Duration.ofSeconds(30);

    /** A parsed command line. */
    record Options(Duration duration, String trace, String policy, double timeScale, int port, int maxWorkers,
                   Path reportDir) {
    }

    public static String usage() {
        return """
                  demo [--duration SECONDS] [--trace NAME|FILE] [--policy NAME] [--time-scale X] [--port N]
                       [--max-workers N] [--report-dir DIR]
                      the engine with real worker processes on this machine (the local provider), a
                      trace replayed through the two-step flow with the Java client, a live view, and
                      an HTML report (default demo-report/index.html)
                      --duration SECONDS  stop sending after this long (default 120)
                      --trace NAME|FILE   default azure-llm-2023-conv (bundled, CC-BY 4.0)
                      --time-scale X      arrival times are multiplied by X, and the workers' speed and
                                          load times with them (default 0.0333: an hour in 2 minutes)
                      --port N            the engine's HTTP port on 127.0.0.1 (default: a free one)
                      --max-workers N     the endpoint's max_workers (default 8)
                      --report-dir DIR    where the report goes (default demo-report)
                  while it runs, the engine's live dashboard is at http://127.0.0.1:PORT/dashboard/
                """;
    }

    /**
     * Runs the demo; returns the exit status.
     *
     * @throws InvalidConfigException for a bad option, naming it
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options o = parse(args);
        List<TraceRequest> trace = o.trace().equals(BUNDLED_TRACE) ? AzureTrace.bundled()
                : AzureTrace.read(Path.of(o.trace()));
        try {
            return runDemo(o, trace, out);
        } catch (IOException e) {
            err.println("demo failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static Options parse(String[] args) {
        Duration duration = Duration.ofSeconds(120);
        String trace = BUNDLED_TRACE;
        String policy = "vast";
        double timeScale = DEFAULT_TIME_SCALE;
        int port = 0;
        int maxWorkers = 8;
        Path reportDir = Path.of("demo-report");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new InvalidConfigException(option, "needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--duration" -> duration = Duration.ofMillis((long) (positive(option, value) * 1000));
                case "--trace" -> trace = value;
                case "--policy" -> policy = value;
                case "--time-scale" -> timeScale = positive(option, value);
                case "--port" -> port = (int) integer(option, value, 0, 65535);
                case "--max-workers" -> maxWorkers = (int) integer(option, value, 1, 64);
                case "--report-dir" -> reportDir = Path.of(value);
                default -> throw new InvalidConfigException(option, "unknown option");
            }
        }
        return new Options(duration, trace, policy, timeScale, port, maxWorkers, reportDir);
    }

    /** The worker emulation for a time scale: a 2,000 tokens/s GPU, 120 s cold load, 15 s resume. */
    static Map<String, String> workerSettings(double timeScale) {
        return Map.of(
                "throughput", Double.toString(GPU_TOKENS_PER_SECOND / timeScale),
                "max_queue_time", "2",
                "cold_load_ms", Long.toString((long) (COLD_LOAD_SECONDS * timeScale * 1000)),
                "warm_load_ms", Long.toString((long) (WARM_LOAD_SECONDS * timeScale * 1000)),
                "benchmark_cost", "200",
                "pubkey_backoff_ms", "500");
    }

    /**
     * The demo's endpoint: one group of local workers, scaled from one warm worker ({@code min_load}
     * of half a worker) up to {@code max_workers}, with queue targets in seconds of the compressed world.
     */
    static EndpointConfig endpoint(String apiKey, String policy, int maxWorkers, double workerPerf) {
        // The engine's load windows run in real time while the trace is compressed 30 times: with
        // the vast policy's 5-minute window, scale-down would come long after the demo ends. The
        // short window alone makes it follow the (compressed) fall within the cool-down.
        Map<String, String> params = policy.equals("vast") ? Map.of("forecast_window", "short") : Map.of();
        return EndpointConfig.builder(ENDPOINT)
                .apiKey(apiKey)
                .policy(policy)
                .policyParams(params)
                .minLoad(workerPerf / 2)
                .maxWorkers(maxWorkers)
                .coldWorkers(1)
                .coldMult(1.5)
                .targetUtil(0.8)
                .maxQueueTime(2)
                .targetQueueTime(1)
                .addGroup(WorkerGroupConfig.builder("local").expectedPerf(workerPerf).build())
                .build();
    }

    private int runDemo(Options o, List<TraceRequest> trace, PrintStream out) throws IOException, InterruptedException {
        Clock clock = Clock.system();
        String apiKey = HexFormat.of().formatHex(randomBytes(16));
        double workerPerf = GPU_TOKENS_PER_SECOND / o.timeScale();
        EndpointConfig endpoint = endpoint(apiKey, o.policy(), o.maxWorkers(), workerPerf);
        DemoRecorder recorder = new DemoRecorder(clock, endpoint.targetQueueTime(), o.maxWorkers());
        ExecutorService callers = Executors.newFixedThreadPool(CALLER_THREADS, r -> {
            Thread t = new Thread(r, "load-generator");
            t.setDaemon(true);
            return t;
        });
        try (LocalDemoStack stack = LocalDemoStack.start(endpoint, workerSettings(o.timeScale()), o.port(),
                recorder)) {
            AutoscalerClient client = AutoscalerClient.builder(stack.url(), apiKey)
                    .pollInterval(Duration.ofMillis(250), Duration.ofSeconds(1))
                    .maxWaitForWorker(Duration.ofSeconds(120))
                    .requestTimeout(Duration.ofSeconds(60))
                    .build();
            WorkerCaller caller = new ClientWorkerCaller(client, ENDPOINT, Worker.GENERATE_ROUTE, callers, clock);
            AtomicInteger sent = new AtomicInteger();
            TraceReplayer replayer = new TraceReplayer(trace, 1 / o.timeScale(), o.duration(), caller,
                    stack.scheduler(), clock, r -> {
                        sent.incrementAndGet();
                        recorder.sent(r);
                    }, recorder::outcome);
            double total = replayer.replayDuration().toMillis() / 1000.0;
            out.printf(Locale.ROOT, "demo: engine on %s, policy %s, trace %s at time scale %.4f (%.0f s),"
                    + " workers of %.0f tokens/s, state in %s%n", stack.url(), o.policy(), o.trace(), o.timeScale(),
                    total, workerPerf, stack.stateDir());
            out.println("demo: live dashboard at " + stack.url() + AutoscalerApi.DASHBOARD + ", metrics at " + stack.url()
                    + ConfiguredServer.METRICS);
            TerminalView view = new TerminalView(out, System.console() != null);
            warmUp(stack.engine(), out);
            recorder.markTraceStart();
            double replayStart = recorder.elapsedSeconds();
            CompletableFuture<Void> done = replayer.start();
            long deadline = System.nanoTime() + replayer.replayDuration().plus(DRAIN).toNanos();
            while (System.nanoTime() < deadline && !done.isDone()) {
                try {
                    done.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // one second passed: refresh the view
                } catch (ExecutionException e) {
                    break;
                }
                view.show(recorder.sample(stack.engine().workers(ENDPOINT)), recorder.lastDecision(), sent.get(),
                        replayStart, total);
            }
            replayer.stop();
            Duration coolDown = o.duration().dividedBy(4).compareTo(COOL_DOWN) < 0 ? o.duration().dividedBy(4) : COOL_DOWN;
            coolDown(coolDown, stack, recorder, view, sent, replayStart, total, out);
            recorder.sample(stack.engine().workers(ENDPOINT));
        } finally {
            callers.shutdownNow();
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("policy", o.policy());
        settings.put("trace", o.trace());
        settings.put("time scale", String.format(Locale.ROOT, "%.4f", o.timeScale()));
        settings.put("max workers", Integer.toString(o.maxWorkers()));
        settings.put("worker throughput", String.format(Locale.ROOT, "%.0f tokens/s", workerPerf));
        Path page = DemoReport.write(o.reportDir(), "autoscaler demo", settings, recorder);
        out.println();
        recorder.figures().forEach((k, v) -> out.printf(Locale.ROOT, "  %-24s %s%n", k,
                v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v));
        out.println("report: " + page.toAbsolutePath());
        return 0;
    }

    /** No more traffic: the view shows the endpoint scaling down ({@link #COOL_DOWN}, less for short runs). */
    private static void coolDown(Duration length, LocalDemoStack stack, DemoRecorder recorder, TerminalView view,
                                 AtomicInteger sent, double replayStart, double total, PrintStream out)
            throws InterruptedException {
        out.println();
        out.println("demo: trace done; " + length.toSeconds() + " s without traffic (watch it scale down)...");
        long deadline = System.nanoTime() + length.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000); // a live demo on real processes: wall time on purpose
            view.show(recorder.sample(stack.engine().workers(ENDPOINT)), recorder.lastDecision(), sent.get(),
                    replayStart, total);
        }
    }

    /**
     * Waits (up to {@link #WARM_UP}) for the first worker to be ready before the trace starts, as a
     * service would before taking traffic; otherwise every early request would re-poll {@code /route/}
     * through the whole cold start and starve the booting workers of CPU on a small machine.
     */
    private static void warmUp(Autoscaler engine, PrintStream out) throws InterruptedException {
        out.println("demo: warming up (the first worker loads and benchmarks)...");
        long deadline = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < deadline) {
            List<WorkerRecord> workers = engine.workers(ENDPOINT);
            if (workers.stream().anyMatch(w -> w.state() == WorkerState.READY)) {
                out.println("demo: a worker is ready; replaying the trace");
                return;
            }
            Thread.sleep(500); // a live demo on real processes: wall time on purpose
        }
        out.println("demo: no worker ready after " + WARM_UP.toSeconds() + " s; replaying anyway");
    }

    private static double positive(String option, String value) {
        try {
            double d = Double.parseDouble(value);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new InvalidConfigException(option, "must be a positive number, got '" + value + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(option, "must be a number, got '" + value + "'");
        }
    }

    private static long integer(String option, String value, long min, long max) {
        try {
            long v = Long.parseLong(value);
            if (v < min || v > max) {
                throw new InvalidConfigException(option, "must be in " + min + ".." + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(option, "must be an integer, got '" + value + "'");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
