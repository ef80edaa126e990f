package dev.autoscaler.examples.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.Clock;
import dev.autoscaler.spi.TicketVerdict;
import dev.autoscaler.spi.TicketVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker that behaves like one built on Vast's worker library, in front of an emulated LLM
 * backend: it fetches the engine's public key, "loads its model", benchmarks itself (or reuses the
 * benchmark cached on its disk), reports {@code /worker_status/} and {@code /delete_requests/},
 * and serves {@code POST /generate} to clients that bring a route ticket, plus {@code GET /health}.
 *
 * <p>Answers of {@code /generate}: 200 after the emulated service time; 422 when {@code auth_data}
 * lacks a required field; 401 with an empty body when the ticket does not verify; 429 when the work
 * already queued would take more than {@code max_queue_time} at {@code max_perf}; 503 while loading.
 */
public final class Worker implements AutoCloseable {
    public static final String GENERATE_ROUTE = "/generate";
    public static final String HEALTH_ROUTE = "/health";
    /** Where this project's engine serves its Ed25519 keys (JWKS); a worker without them verifies RSA only. */
    public static final String DEFAULT_JWKS_PATH = "/ed25519-keys/";

    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkerSettings settings;
    private final WorkerVerifiers verifiers;
    private final String jwksPath;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ProcessorSharingBackend backend;
    private final WorkerMetrics metrics = new WorkerMetrics();
    private final StatusReporter reporter;
    private final HttpServer server;
    private final ExecutorService serverThreads;
    private final Thread startup;
    private final long startNanos;

    private volatile TicketVerifier verifier;
    private volatile double loadtime;
    private volatile double maxPerf;
    private volatile String errorMsg = "";

    private Worker(WorkerSettings settings, WorkerVerifiers verifiers, String jwksPath, Clock clock)
            throws IOException {
        this.verifiers = Objects.requireNonNull(verifiers, "verifiers");
        this.jwksPath = jwksPath;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        // JDK 17's server answers only after the client's delayed ACK without TCP_NODELAY (DESIGN.md)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.listenPort()),
                128);
        int bound = server.getAddress().getPort();
        this.settings = settings.listenPort() == 0 ? settings.withListenPort(bound, "http://127.0.0.1:" + bound)
                : settings;
        this.backend = new ProcessorSharingBackend(settings.throughput(), settings.maxConcurrency(), clock);
        this.reporter = new StatusReporter(this.settings, metrics,
                () -> new StatusReporter.Health(loadtime, maxPerf, errorMsg), http);
        this.serverThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "worker-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        server.createContext(GENERATE_ROUTE, this::generate);
        server.createContext(HEALTH_ROUTE, this::health);
        this.startup = new Thread(this::bootstrap, "worker-startup");
        startup.setDaemon(true);
    }

    /**
     * Binds the port, then starts reporting and the bootstrap (pubkey, model load, benchmark) in the
     * background. With {@code listenPort} 0 the URL's port is the one bound.
     */
    public static Worker start(WorkerSettings settings, WorkerVerifiers verifiers, String jwksPath, Clock clock)
            throws IOException {
        Worker w = new Worker(settings, verifiers, jwksPath, clock);
        return w.begin();
    }

    private Worker begin() {
        server.start();
        reporter.start();
        startup.start();
        return this;
    }

    /** The URL clients and reports use. */
    public String url() {
        return settings.publicUrl();
    }

    /** The port the worker serves on. */
    public int port() {
        return server.getAddress().getPort();
    }

    public boolean ready() {
        return maxPerf > 0 && errorMsg.isEmpty() && verifier != null;
    }

    public double maxPerf() {
        return maxPerf;
    }

    public String errorMsg() {
        return errorMsg;
    }

    @Override
    public void close() {
        startup.interrupt();
        server.stop(0);
        serverThreads.shutdownNow();
        reporter.close();
        backend.close();
    }

    private void bootstrap() {
        try {
            PubkeyFetcher fetcher = new PubkeyFetcher(http, settings.reportAddr(), settings.pubkeyBackoff());
            Optional<String> pem = fetcher.fetch();
            if (pem.isEmpty()) {
                fail("could not fetch " + settings.reportAddr() + "/pubkey/ after " + PubkeyFetcher.TRIES + " tries");
                return;
            }
            Optional<String> jwks = jwksPath.isEmpty() ? Optional.empty() : fetcher.fetchOnce(jwksPath);
            try {
                verifier = verifiers.create(pem.get(), jwks, Long.toString(settings.workerId()),
                        settings.strongTicketsOnly(), () -> {
                            try {
                                return fetcher.fetchOnce(jwksPath);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return Optional.empty();
                            }
                        });
            } catch (RuntimeException e) {
                fail("the engine's public key is unusable: " + e.getMessage());
                return;
            }
            WorkerDisk disk = new WorkerDisk(settings.stateDir());
            Duration load = disk.hasModel() ? settings.warmLoad() : settings.coldLoad();
            log.info("worker {} loading its model ({} ms)", settings.workerId(), load.toMillis());
            Thread.sleep(load.toMillis()); // the emulated model download and load: real time on purpose
            disk.markModelLoaded();
            loadtime = (clock.nanoTime() - startNanos) / 1e9;
            OptionalDouble cached = disk.cachedMaxPerf();
            double perf;
            if (cached.isPresent()) {
                perf = cached.getAsDouble();
                log.info("worker {} reuses its cached benchmark: max_perf {}", settings.workerId(), perf);
            } else {
                perf = new Benchmark(backend, clock).run(settings.benchmarkRounds(), settings.benchmarkParallel(),
                        settings.benchmarkCost());
                disk.storeMaxPerf(perf);
                log.info("worker {} benchmarked: max_perf {}", settings.workerId(), perf);
            }
            maxPerf = perf;
            reporter.reportNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail("startup failed: " + e);
        }
    }

    private void fail(String message) {
        log.error("worker {}: {}", settings.workerId(), message);
        errorMsg = message;
        reporter.reportNow();
    }

    private void health(HttpExchange ex) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("ready", ready());
        body.put("loadtime", loadtime);
        body.put("max_perf", maxPerf);
        body.put("error_msg", errorMsg);
        body.put("in_flight", backend.inFlight());
        respond(ex, ready() ? 200 : 503, body);
    }

    private void generate(HttpExchange ex) throws IOException {
        try {
            if (!"POST".equals(ex.getRequestMethod())) {
                respond(ex, 405, error("use POST"));
                return;
            }
            metrics.received();
            double enteredAt = unixNow();
            JsonNode body;
            try (InputStream in = ex.getRequestBody()) {
                body = JSON.readTree(in);
            } catch (IOException e) {
                respond(ex, 400, error("the body must be JSON"));
                return;
            }
            if (body == null || !body.isObject()) {
                respond(ex, 400, error("the body must be a JSON object"));
                return;
            }
            AuthData auth;
            try {
                auth = AuthData.parse(body.get("auth_data"));
            } catch (AuthData.Invalid e) {
                respond(ex, 422, error(e.getMessage()));
                return;
            }
            double work;
            try {
                work = workOf(body.get("payload"), auth.cost().doubleValue());
            } catch (IllegalArgumentException e) {
                respond(ex, 422, error(e.getMessage()));
                return;
            }
            TicketVerifier v = verifier;
            if (!ready() || v == null) {
                reject(auth, work, enteredAt);
                respond(ex, 503, error(errorMsg.isEmpty() ? "worker is loading" : "worker failed: " + errorMsg));
                return;
            }
            TicketVerdict verdict = v.verify(auth.signature(), auth.claims(Long.toString(settings.workerId()),
                    clock.now()));
            if (!verdict.accepted()) {
                log.debug("request {} rejected: {}", auth.requestIdx(), verdict.reason());
                reject(auth, work, enteredAt);
                respondEmpty(ex, 401);
                return;
            }
            double queued = backend.pendingWork();
            if (queued / maxPerf > settings.maxQueueTime()) {
                reject(auth, work, enteredAt);
                respond(ex, 429, error(String.format(java.util.Locale.ROOT,
                        "queue full: %.1f s of work queued, max_queue_time %.1f s", queued / maxPerf,
                        settings.maxQueueTime())));
                return;
            }
            serve(ex, auth, body.get("payload"), work, enteredAt);
        } catch (RuntimeException e) {
            log.error("/generate failed", e);
            respond(ex, 500, error("internal error"));
        }
    }

    private void serve(HttpExchange ex, AuthData auth, JsonNode payload, double work, double enteredAt) {
        metrics.accepted(auth.requestIdx(), work);
        reporter.nudge();
        long maxTokens = payload != null && payload.has("max_tokens") ? payload.get("max_tokens").asLong() : 0;
        backend.submit(work).whenComplete((done, failure) -> {
            metrics.finished(auth.requestIdx(), work, failure == null);
            try {
                if (failure != null) {
                    reporter.finished(new StatusReporter.Finished(auth.requestIdx(), false, "Error", enteredAt, 0.0,
                            0.0));
                    respond(ex, 503, error("worker shutting down"));
                    return;
                }
                double startedAt = unixAt(done.startedNanos());
                double completedAt = unixAt(done.completedNanos());
                reporter.finished(new StatusReporter.Finished(auth.requestIdx(), true, "Success", enteredAt,
                        startedAt, completedAt));
                ObjectNode answer = JSON.createObjectNode();
                answer.put("request_idx", auth.requestIdx());
                answer.put("generated_tokens", maxTokens);
                answer.put("text", "emulated completion of " + maxTokens + " tokens");
                answer.put("work", work);
                answer.put("queue_seconds", done.queueSeconds());
                answer.put("service_seconds", done.serviceSeconds());
                answer.put("worker_id", settings.workerId());
                respond(ex, 200, answer);
            } catch (IOException e) {
                log.debug("client went away before its answer: {}", e.toString());
            }
        });
    }

    private void reject(AuthData auth, double work, double enteredAt) {
        metrics.rejected(work);
        reporter.finished(new StatusReporter.Finished(auth.requestIdx(), false, "Rejected", enteredAt, 0.0, 0.0));
    }

    /**
     * The request's work: prompt plus generated tokens when the payload gives them (what an LLM
     * backend spends), else the route's cost estimate.
     */
    static double workOf(JsonNode payload, double cost) {
        if (payload != null && payload.isObject() && (payload.has("prompt_tokens") || payload.has("max_tokens"))) {
            double total = 0;
            for (String field : new String[] {"prompt_tokens", "max_tokens"}) {
                JsonNode v = payload.get(field);
                if (v == null || v.isNull()) {
                    continue;
                }
                if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
                    throw new IllegalArgumentException("payload." + field + " must be a non-negative number");
                }
                total += v.asDouble();
            }
            if (total > 0) {
                return total;
            }
        }
        return Math.max(cost, 1.0);
    }

    private double unixNow() {
        return clock.now().toEpochMilli() / 1000.0;
    }

    private double unixAt(long nanos) {
        return unixNow() - (clock.nanoTime() - nanos) / 1e9;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void respond(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void respondEmpty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }
}
