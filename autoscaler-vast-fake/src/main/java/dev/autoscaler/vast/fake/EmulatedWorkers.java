package dev.autoscaler.vast.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers inside the fake's running instances, acting as Vast's worker library would towards
 * the engine: each posts {@code {REPORT_ADDR}/worker_status/} with the {@code MASTER_TOKEN} its
 * create carried, first with {@code max_perf} 0 while its model "loads", then, once loaded, with its
 * {@code max_perf} at every report interval while idle. A stopped or destroyed instance stops
 * reporting (no final report, as PROTOCOL.md says); a restarted one loads again and reports the same
 * {@code max_perf}. Optionally each also answers HTTP on its instance URL (200 to any request), so a
 * client can call the worker {@code /route/} picked.
 *
 * <p>A background thread looks at the account every {@link #POLL} of real time and decides on the
 * fake's {@link Clock}: on the system clock that is real time; on a manual clock reports fall due as
 * the test moves it. Reports go over real HTTP with {@link HttpClient}. An instance without
 * {@code REPORT_ADDR} or {@code MASTER_TOKEN} in its env, or without its worker port mapped, has no
 * worker.
 */
final class EmulatedWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmulatedWorkers.class);
    static final Duration POLL = Duration.ofMillis(50);
    static final String VERSION = "fake-vast-worker/1";
    /** Until a report succeeds, the real worker re-posts about every 2 s. */
    private static final Duration RETRY = Duration.ofSeconds(2);

    /**
     * How the emulated workers behave.
     *
     * @param reportInterval the idle report cadence (Vast's worker: 10 s)
     * @param loadTime       from the container running to the first report with {@code max_perf} > 0
     * @param maxPerf        the {@code max_perf} reported; 0 derives it from the offer: {@code dlperf x 10}
     * @param serveHttp      whether each worker answers HTTP on its instance URL
     */
    record Settings(Duration reportInterval, Duration loadTime, double maxPerf, boolean serveHttp) {
    }

    private final FakeVastAccount account;
    private final Clock clock;
    private final Settings settings;
    private final ObjectMapper json;
    private final HttpClient http;
    private final ScheduledExecutorService loop;
    private final Map<Long, Worker> workers = new HashMap<>();
    private final AtomicLong reportsAccepted = new AtomicLong();

    EmulatedWorkers(FakeVastAccount account, Clock clock, Settings settings, ObjectMapper json) {
        this.account = account;
        this.clock = clock;
        this.settings = settings;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-vast-workers");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::pollSafely, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many reports the engine answered with 200. */
    long reportsAccepted() {
        return reportsAccepted.get();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            log.warn("fake Vast: emulated workers failed a round: {}", e.toString());
        }
    }

    /** One round: new running instances get a worker, gone ones lose theirs, due reports go out. */
    private void poll() {
        long now = clock.nanoTime();
        Set<Long> running = new HashSet<>();
        for (FakeVastAccount.RunningWorker instance : account.runningWorkers()) {
            running.add(instance.id());
            Worker worker = workers.get(instance.id());
            if (worker == null) {
                worker = Worker.of(instance, now, settings);
                if (worker == null) {
                    continue;
                }
                worker.server = serveHttp(instance);
                workers.put(instance.id(), worker);
            }
            if (now >= worker.nextReportNanos) {
                // the first report always says "loading", as the real worker's does
                boolean loaded = worker.reported && now >= worker.loadedAtNanos;
                boolean ok = report(worker, loaded);
                worker.reported |= ok;
                long wait = ok ? (loaded ? settings.reportInterval() : Duration.ofSeconds(1)).toNanos()
                        : Math.min(RETRY.toNanos(), settings.reportInterval().toNanos());
                // a loading worker reports again as soon as it is loaded
                worker.nextReportNanos = loaded || !ok ? now + wait : Math.min(now + wait, worker.loadedAtNanos);
            }
        }
        workers.entrySet().removeIf(e -> {
            if (!running.contains(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    private boolean report(Worker worker, boolean loaded) {
        ObjectNode body = json.createObjectNode();
        body.put("id", worker.id);
        body.put("mtoken", worker.mtoken);
        body.put("version", VERSION);
        body.put("url", worker.url);
        body.put("loadtime", loaded ? settings.loadTime().toMillis() / 1000.0 : 0.0);
        body.put("cur_load", 0.0);
        body.put("new_load", 0.0);
        body.put("rej_load", 0.0);
        body.put("cur_perf", 0.0);
        body.put("max_perf", loaded ? worker.maxPerf : 0.0);
        body.put("error_msg", "");
        body.put("num_requests_working", 0);
        body.put("num_requests_recieved", 0);
        body.putArray("working_request_idxs");
        body.put("additional_disk_usage", 0.0);
        body.put("cur_capacity", 0);
        body.put("max_capacity", 0);
        HttpRequest request = HttpRequest.newBuilder(URI.create(worker.reportAddr + "/worker_status/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() == 200) {
                reportsAccepted.incrementAndGet();
                return true;
            }
            log.debug("fake Vast: worker {} report answered {}", worker.id, answer.statusCode());
            return false;
        } catch (IOException e) {
            log.debug("fake Vast: worker {} cannot report to {}: {}", worker.id, worker.reportAddr, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A worker HTTP server on the instance's host port, or null when off or the port is taken. */
    private HttpServer serveHttp(FakeVastAccount.RunningWorker instance) {
        if (!settings.serveHttp()) {
            return null;
        }
        Integer hostPort = instance.hostPorts().get(Worker.workerPort(instance.env()));
        if (hostPort == null) {
            return null;
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort), 16);
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                byte[] answer = ("{\"worker\":" + instance.id() + ",\"path\":\"" + exchange.getRequestURI().getPath()
                        .replace("\"", "") + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            log.warn("fake Vast: worker {} cannot serve HTTP on port {}: {}", instance.id(), hostPort, e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.values().forEach(Worker::close);
        workers.clear();
    }

    /** One emulated worker; only the loop thread touches it. */
    private static final class Worker {
        final long id;
        final String mtoken;
        final String reportAddr;
        final String url;
        final double maxPerf;
        final long loadedAtNanos;
        HttpServer server;
        long nextReportNanos;
        boolean reported;

        private Worker(long id, String mtoken, String reportAddr, String url, double maxPerf, long loadedAtNanos) {
            this.id = id;
            this.mtoken = mtoken;
            this.reportAddr = reportAddr;
            this.url = url;
            this.maxPerf = maxPerf;
            this.loadedAtNanos = loadedAtNanos;
        }

        /** A worker for a running instance, or null when the instance has none (no engine env, no port). */
        static Worker of(FakeVastAccount.RunningWorker instance, long now, Settings settings) {
            String reportAddr = instance.env().getOrDefault("REPORT_ADDR", "").trim();
            String mtoken = instance.env().getOrDefault("MASTER_TOKEN", "");
            Integer hostPort = instance.hostPorts().get(workerPort(instance.env()));
            if (reportAddr.isEmpty() || mtoken.isEmpty() || hostPort == null) {
                return null;
            }
            while (reportAddr.endsWith("/")) {
                reportAddr = reportAddr.substring(0, reportAddr.length() - 1);
            }
            String ip = instance.publicIp();
            String host = ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip;
            double maxPerf = settings.maxPerf() > 0 ? settings.maxPerf() : Math.max(1, instance.dlperf() * 10);
            return new Worker(instance.id(), mtoken, reportAddr, "http://" + host + ":" + hostPort, maxPerf,
                    now + settings.loadTime().toNanos());
        }

        static int workerPort(Map<String, String> env) {
            try {
                return Integer.parseInt(env.getOrDefault("WORKER_PORT", "3000").trim());
            } catch (NumberFormatException e) {
                return 3000;
            }
        }

        void close() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
