package dev.autoscaler.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.Clock;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.store.postgres.PostgresStore;
import dev.autoscaler.store.postgres.PostgresTestServer;
import dev.autoscaler.vast.fake.FakeInstance;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code serve} processes on one PostgreSQL ({@link PostgresTestServer}) and the fake Vast API
 * (in this JVM, with emulated workers), under {@code /route/} load through all three. The leader is
 * killed with SIGKILL in the middle of a scale-up; later the next leader is paused with SIGSTOP past
 * its lease, in the middle of another scale-up, and resumed. Checked against the fake's own list of
 * instances and its record of calls: one successful create per worker (no duplicate), every instance
 * known to the store (none leaked), every routed URL a live instance's, and the paused leader acts
 * as leader no more.
 *
 * <p>Workers report to a small forwarding proxy in this JVM (their {@code REPORT_ADDR}), which
 * passes each report to the first replica that answers, as a load balancer in front of the replicas
 * would. Real clocks and processes: every wait polls with a deadline, never a fixed sleep.
 */
@DisplayName("three serve replicas on one PostgreSQL: the leader killed or paused mid scale-up, nothing duplicated or leaked")
class ReplicasOnPostgresTest {
    static final String ADMIN = "admin-key-0123456789";
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration TICK = Duration.ofMillis(200);
    static final Duration DEADLINE = Duration.ofSeconds(60);

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final ObjectMapper json = new ObjectMapper();
    final List<Replica> replicas = new ArrayList<>();
    FakeVastServer fake;
    HttpServer proxy;
    PostgresStore store;
    Path dir;

    record Replica(String id, Process process, String baseUrl, Path log) {
    }

    @AfterEach
    void close() throws Exception {
        for (Replica r : replicas) {
            signal("CONT", r);
            r.process().destroyForcibly();
            r.process().waitFor(30, TimeUnit.SECONDS);
        }
        if (proxy != null) {
            proxy.stop(0);
        }
        if (fake != null) {
            fake.close();
        }
        if (store != null) {
            store.close();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String config(int port, String replicaId, String schema, String proxyUrl, int workers) {
        return """
                {
                  "listen": "127.0.0.1:%d",
                  "public_url": "%s",
                  "api_keys": ["client-key"],
                  "engine_secret": "replicas-test-secret-0123456789",
                  "admin_key": "%s",
                  "state_dir": "%s",
                  "rsa_key_file": "%s",
                  "ed25519_key_file": "%s",
                  "tick_interval": %s,
                  "sync_interval": 1,
                  "store": {"postgres": {"url_env": "TEST_DB_URL", "user_env": "TEST_DB_USER", "schema": "%s",
                            "pool_size": 4, "lease_ttl": %s, "refresh_interval": 0.2, "replica_id": "%s"}},
                  "provider": {"name": "vast", "settings": {
                    "base_url": "%s", "api_key": "%s",
                    "create_interval_s": 0, "list_interval_s": 0, "manage_interval_s": 0, "search_interval_s": 0,
                    "backoff_base_s": 0.05, "backoff_max_s": 0.2, "timeout_s": 5}},
                  "endpoints": [%s]
                }
                """.formatted(port, proxyUrl, ADMIN, dir.resolve("state-" + replicaId), dir.resolve("rsa.pem"),
                dir.resolve("ed25519.json"), TICK.toMillis() / 1000.0, schema, LEASE.toMillis() / 1000.0, replicaId,
                fake.baseUrl(), fake.apiKey(), endpoint(workers));
    }

    static String endpoint(int workers) {
        return """
                {"endpoint_name": "llm", "min_load": 0, "cold_workers": %d, "max_workers": %d,
                 "groups": [{"group_name": "main", "template": {"image": "vastai/pyworker:1"},
                             "search_params": "gpu_name=RTX_4090 num_gpus=1"}]}""".formatted(workers, workers);
    }

    Replica start(String id, String schema, String proxyUrl) throws Exception {
        int port = freePort();
        Path config = dir.resolve(id + ".json");
        Files.writeString(config, config(port, id, schema, proxyUrl, 2));
        Path log = dir.resolve(id + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ServeCommand.class.getName(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        PostgresTestServer pg = PostgresTestServer.get();
        pb.environment().put("TEST_DB_URL", pg.url);
        pb.environment().put("TEST_DB_USER", pg.user == null ? "postgres" : pg.user);
        Replica r = new Replica(id, pb.start(), "http://127.0.0.1:" + port, log);
        replicas.add(r);
        await(id + " serving", () -> status(r).isPresent());
        return r;
    }

    /** The replica's {@code /replica} answer, or empty when it does not answer (dead, paused, starting). */
    Optional<JsonNode> status(Replica r) {
        try {
            HttpResponse<String> s = http.send(HttpRequest.newBuilder(URI.create(r.baseUrl() + "/replica"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return s.statusCode() == 200 ? Optional.of(json.readTree(s.body())) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    Optional<Replica> leader(long minEpoch) {
        for (Replica r : replicas) {
            if (!r.process().isAlive()) {
                continue;
            }
            Optional<JsonNode> s = status(r);
            if (s.isPresent() && s.get().get("leader").asBoolean() && s.get().get("epoch").asLong() >= minEpoch) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    long epoch(Replica r) {
        long[] epoch = {0};
        await(r.id() + " answers /replica", () -> status(r).map(s -> epoch[0] = s.get("epoch").asLong()).isPresent());
        return epoch[0];
    }

    void putEndpoint(Replica via, int workers) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(via.baseUrl() + "/admin/endpoints/llm"))
                .header("Authorization", "Bearer " + ADMIN).PUT(HttpRequest.BodyPublishers.ofString(endpoint(workers)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    void signal(String signal, Replica r) throws Exception {
        if (r.process().isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(r.process().pid())).inheritIO().start().waitFor();
        }
    }

    void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                StringBuilder logs = new StringBuilder();
                for (Replica r : replicas) {
                    try {
                        List<String> lines = Files.readAllLines(r.log());
                        logs.append("\n--- ").append(r.id()).append(" (last lines) ---\n")
                                .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                    } catch (IOException e) {
                        logs.append("\n--- ").append(r.id()).append(": no log");
                    }
                }
                logs.append("\n--- store: ").append(store.allWorkers().stream()
                        .map(w -> w.workerId() + "=" + w.state().wireName() + "/" + w.instanceId()).toList())
                        .append("\n--- fake: ").append(instances().stream()
                        .map(i -> i.id() + "=" + i.actualStatus() + "/" + i.intendedStatus()).toList());
                throw new AssertionError("not within " + DEADLINE.toSeconds() + " s: " + what + logs);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Forwards each request to the first live replica that answers: what workers report to. */
    HttpServer startProxy() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpResponse<byte[]> answer = null;
            for (Replica r : replicas) {
                if (!r.process().isAlive()) {
                    continue;
                }
                try {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.baseUrl() + exchange.getRequestURI()))
                            .timeout(Duration.ofSeconds(1))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                    String type = exchange.getRequestHeaders().getFirst("Content-Type");
                    if (type != null) {
                        b.header("Content-Type", type);
                    }
                    answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (answer.statusCode() < 500) {
                        break;
                    }
                } catch (Exception e) {
                    // dead or paused: the next replica
                }
            }
            int status = answer == null ? 502 : answer.statusCode();
            byte[] out = answer == null ? new byte[0] : answer.body();
            if (answer != null) {
                answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
            }
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        server.start();
        return server;
    }

    /** /route/ requests through every replica, round robin, until stopped; records what each answered. */
    final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final Map<String, AtomicInteger> routedBy = new ConcurrentHashMap<>();
        final List<String> routedUrls = new CopyOnWriteArrayList<>();
        final AtomicInteger unavailable = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();

        Load(List<Replica> through) {
            for (Replica r : through) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(r.baseUrl() + "/route/"))
                                    .timeout(Duration.ofSeconds(1)).header("Authorization", "Bearer client-key")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"endpoint\": \"llm\", \"cost\": 1}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (a.statusCode() == 200) {
                                JsonNode answer = json.readTree(a.body());
                                if (answer.hasNonNull("url")) {
                                    routedUrls.add(answer.get("url").asText());
                                    routedBy.computeIfAbsent(r.id(), k -> new AtomicInteger()).incrementAndGet();
                                }
                            } else {
                                unavailable.incrementAndGet();
                            }
                        } catch (Exception e) {
                            unavailable.incrementAndGet(); // killed or paused
                        }
                        // a steady load of about 30 requests a second per replica, not as many as the machine allows
                        LockSupport.parkNanos(Duration.ofMillis(30).toNanos());
                    }
                }, "load-" + r.id());
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(5_000);
            }
        }
    }

    List<FakeInstance> instances() {
        return fake.instances();
    }

    long successfulCreates() {
        return fake.calls().stream().filter(c -> c.api() == FakeVastServer.Api.CREATE && c.status() / 100 == 2).count();
    }

    /** Settled: {@code n} instances on the fake, each a worker in the store, loaded (ready, or stopped in the cold pool). */
    boolean settled(int n) {
        List<FakeInstance> live = instances();
        List<WorkerRecord> workers = store.allWorkers();
        Set<String> liveIds = live.stream().map(i -> Long.toString(i.id())).collect(Collectors.toSet());
        return live.size() == n && workers.size() == n
                && workers.stream().allMatch(w -> (w.state() == WorkerState.READY || w.state() == WorkerState.STOPPED)
                        && liveIds.contains(w.instanceId()));
    }

    void assertNothingDuplicatedOrLeaked(int n) {
        List<FakeInstance> live = instances();
        assertThat(live).hasSize(n);
        assertThat(live.stream().map(FakeInstance::label).collect(Collectors.toSet())).as("one instance per label").hasSize(n);
        assertThat(successfulCreates()).as("one successful create per instance: no duplicate create").isEqualTo(n);
        assertThat(store.allWorkers()).extracting(WorkerRecord::instanceId)
                .as("every instance on the fake is a worker in the store: none leaked")
                .containsExactlyInAnyOrderElementsOf(live.stream().map(i -> Long.toString(i.id())).toList());
    }

    @Test
    void killedAndPausedLeadersDuplicateNothingLeakNothingAndActNoMore(@TempDir Path tmp) throws Exception {
        dir = tmp;
        String schema = PostgresTestServer.freshSchema();
        PostgresTestServer pg = PostgresTestServer.get();
        store = pg.newStore(schema);
        fake = FakeVastServer.builder(Clock.system()).bootDelay(Duration.ofSeconds(2)).rateLimits(false)
                .emulateWorkers().workerLoadTime(Duration.ofMillis(300)).workerReportInterval(Duration.ofMillis(500))
                .start();
        proxy = startProxy();
        String proxyUrl = "http://127.0.0.1:" + proxy.getAddress().getPort();

        Replica a = start("a", schema, proxyUrl);
        await("a leads", () -> leader(1).isPresent());
        Replica b = start("b", schema, proxyUrl);
        Replica c = start("c", schema, proxyUrl);
        assertThat(leader(1)).contains(a);
        await("two loaded workers", () -> settled(2));

        try (Load load = new Load(List.of(a, b, c))) {
            await("requests routed through all three", () -> load.routedBy.keySet().size() == 3);

            // 1. SIGKILL the leader in the middle of a scale-up from 2 to 4
            long firstEpoch = epoch(a);
            putEndpoint(b, 4);
            await("the scale-up under way", () -> instances().size() > 2);
            a.process().destroyForcibly();
            long killedAt = System.nanoTime();
            await("another leader", () -> leader(firstEpoch + 1).isPresent());
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            // the lease's end, plus one renewal period (a third of the lease) for the next replica to ask,
            // plus one tick, plus this test's polling
            assertThat(takeover).as("leader again within lease + renewal + tick")
                    .isLessThan(LEASE.plus(LEASE.dividedBy(3)).plus(TICK).plusMillis(700));
            Replica second = leader(firstEpoch + 1).orElseThrow();
            await("four loaded workers after the takeover", () -> settled(4));
            assertNothingDuplicatedOrLeaked(4);

            // 2. SIGSTOP the new leader in the middle of a scale-up from 4 to 6, past its lease
            long secondEpoch = epoch(second);
            Replica other = second == b ? c : b;
            putEndpoint(other, 6);
            await("the second scale-up under way", () -> instances().size() > 4);
            signal("STOP", second);
            await("a third leader while the second is paused", () -> leader(secondEpoch + 1).isPresent());
            assertThat(leader(secondEpoch + 1)).contains(other);
            await("six loaded workers", () -> settled(6));
            long createsBefore = successfulCreates();
            signal("CONT", second);
            await("the paused leader answers again, as a follower that skipped its stale ticks", () -> status(second)
                    .map(s -> !s.get("leader").asBoolean()
                            && s.get("refused").asLong() + s.get("stale_ticks_skipped").asLong() > 0)
                    .orElse(false));
            // the resumed replica keeps serving as a follower; let the leader tick a few times more
            long seen = epoch(other);
            await("the third leader still leads after the resume", () -> leader(seen).filter(other::equals).isPresent());
            assertThat(successfulCreates()).as("the resumed old leader created nothing").isEqualTo(createsBefore);
            assertThat(leader(1)).contains(other);
            await("still six loaded workers", () -> settled(6));
            assertNothingDuplicatedOrLeaked(6);

            await("requests routed by the resumed replica again", () -> {
                int before = load.routedBy.getOrDefault(second.id(), new AtomicInteger()).get();
                return before > 0;
            });
            load.close();
            Set<String> liveUrls = new HashSet<>();
            for (FakeInstance i : instances()) {
                liveUrls.add("http://127.0.0.1:" + i.hostPorts().get(3000));
            }
            assertThat(new HashSet<>(load.routedUrls)).as("every request went to a live instance, none to a destroyed one")
                    .isSubsetOf(liveUrls);
            assertThat(load.routedBy.keySet()).containsExactlyInAnyOrder("a", "b", "c");
        }
    }
}
