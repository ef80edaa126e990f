package dev.autoscaler.examples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autoscaler.Clock;
import dev.autoscaler.core.ticket.TicketFormats;
import dev.autoscaler.spi.TicketClaims;
import dev.autoscaler.spi.TicketSigner;
import dev.autoscaler.examples.testing.EngineStub;
import dev.autoscaler.examples.testing.TestRsaTickets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worker in this JVM against a stub engine, in short mode (millisecond model load and
 * benchmark, 100 ms report cadence). Waits are bounded waits for a report or an answer, never sleeps.
 */
@DisplayName("Worker")
class WorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong REQUEST_IDX = new AtomicLong(1000);

    @TempDir
    Path disk;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private EngineStub engine(String pem) {
        return engine(pem, null);
    }

    private EngineStub engine(String pem, String jwks) {
        EngineStub e = new EngineStub(pem, jwks);
        open.add(e);
        return e;
    }

    private WorkerSettings shortMode(EngineStub engine, long id, double maxQueueTime, Duration coldLoad) {
        return new WorkerSettings(engine.url(), "mtoken-" + id, id, "", 0, disk, 1000, 4, maxQueueTime,
                coldLoad, Duration.ofMillis(5), 2, 2, 5, Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(100), Duration.ofMillis(10), OptionalLong.empty(), "");
    }

    private Worker start(WorkerSettings settings) throws IOException {
        Worker w = Worker.start(settings, TicketLibraryVerifiers.INSTANCE, Worker.DEFAULT_JWKS_PATH, Clock.system());
        open.add(w);
        return w;
    }

    private Worker readyWorker(EngineStub engine, long id, double maxQueueTime) throws IOException {
        Worker w = start(shortMode(engine, id, maxQueueTime, Duration.ofMillis(10)));
        engine.awaitStatus(r -> r.path("max_perf").asDouble() > 0);
        return w;
    }

    private ObjectNode authData(Worker w, long requestIdx, double cost) {
        ObjectNode a = JSON.createObjectNode();
        a.put("endpoint", "demo");
        a.put("url", w.url());
        a.put("cost", cost);
        a.put("reqnum", requestIdx);
        a.put("request_idx", requestIdx);
        a.put("signature", TestRsaTickets.sign(w.url()));
        a.put("__request_id", "r-" + requestIdx);
        return a;
    }

    private static ObjectNode body(ObjectNode authData, int promptTokens, int maxTokens) {
        ObjectNode b = JSON.createObjectNode();
        b.set("auth_data", authData);
        b.putNull("session_id");
        b.putObject("payload").put("prompt_tokens", promptTokens).put("max_tokens", maxTokens);
        return b;
    }

    private CompletableFuture<HttpResponse<String>> post(Worker w, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(w.url() + Worker.GENERATE_ROUTE + "?api_key=k"))
                .timeout(EngineStub.WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postAndWait(Worker w, JsonNode body) throws Exception {
        return post(w, body).get(EngineStub.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Nested
    @DisplayName("reports")
    class Reports {

        @Test
        @DisplayName("report while loading, with max_perf 0 and loadtime 0")
        void whileLoading() throws IOException {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            start(shortMode(engine, 7, 30, Duration.ofMinutes(10)));

            JsonNode first = engine.awaitStatus(r -> true);

            assertThat(first.path("id").asLong()).isEqualTo(7);
            assertThat(first.path("mtoken").asText()).isEqualTo("mtoken-7");
            assertThat(first.path("max_perf").asDouble()).isZero();
            assertThat(first.path("loadtime").asDouble()).isZero();
            assertThat(first.path("error_msg").asText()).isEmpty();
        }

        @Test
        @DisplayName("once benchmarked, a report carries max_perf > 0 and every field of the protocol")
        void readyReportHasEveryField() throws IOException {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker w = start(shortMode(engine, 8, 30, Duration.ofMillis(10)));

            JsonNode ready = engine.awaitStatus(r -> r.path("max_perf").asDouble() > 0);

            assertThat(ready.fieldNames()).toIterable().contains("id", "mtoken", "version", "url", "loadtime",
                    "cur_load", "new_load", "rej_load", "cur_perf", "max_perf", "error_msg",
                    "num_requests_working", "num_requests_recieved", "working_request_idxs",
                    "additional_disk_usage", "cur_capacity", "max_capacity");
            assertThat(ready.path("url").asText()).isEqualTo(w.url()).doesNotEndWith("/");
            assertThat(ready.path("loadtime").asDouble()).isPositive();
            assertThat(ready.path("error_msg").asText()).isEmpty();
        }

        @Test
        @DisplayName("without /pubkey/ the worker reports an error and never becomes ready")
        void noPubkey() throws IOException {
            EngineStub engine = engine(null);
            Worker w = start(shortMode(engine, 9, 30, Duration.ofMillis(10)));

            JsonNode broken = engine.awaitStatus(r -> !r.path("error_msg").asText().isEmpty());

            assertThat(broken.path("error_msg").asText()).contains("/pubkey/");
            assertThat(broken.path("max_perf").asDouble()).isZero();
            assertThat(w.ready()).isFalse();
        }

        @Test
        @DisplayName("a restarted worker reuses the benchmark cached on its disk")
        void cachedBenchmark() throws IOException {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker first = start(shortMode(engine, 10, 30, Duration.ofMillis(10)));
            double measured = engine.awaitStatus(r -> r.path("max_perf").asDouble() > 0).path("max_perf").asDouble();
            first.close();

            start(shortMode(engine, 10, 30, Duration.ofMillis(10)));

            assertThat(engine.awaitStatus(r -> r.path("max_perf").asDouble() > 0).path("max_perf").asDouble())
                    .isEqualTo(measured);
        }

        @Test
        @DisplayName("a served request shows in cur_perf and comes back in /delete_requests/ as Success")
        void servedRequestIsReported() throws Exception {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker w = readyWorker(engine, 11, 30);
            long idx = REQUEST_IDX.incrementAndGet();

            HttpResponse<String> answer = postAndWait(w, body(authData(w, idx, 30), 10, 20));

            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode deleted = engine.awaitDelete(d -> d.path("requests").path(0).path("request_idx").asLong() == idx);
            assertThat(deleted.path("worker_id").asLong()).isEqualTo(11);
            assertThat(deleted.path("mtoken").asText()).isEqualTo("mtoken-11");
            JsonNode entry = deleted.path("requests").path(0);
            assertThat(entry.path("success").asBoolean()).isTrue();
            assertThat(entry.path("status").asText()).isEqualTo("Success");
            assertThat(entry.path("work_completed_at").asDouble())
                    .isGreaterThanOrEqualTo(entry.path("work_started_at").asDouble());
            engine.awaitStatus(r -> r.path("cur_perf").asDouble() == 30.0 && r.path("num_requests_recieved").asLong() == 1);
        }
    }

    @Nested
    @DisplayName("strong ed25519 tickets")
    class StrongTickets {
        private final TicketFormats formats = TicketFormats.builder().build();
        private final TicketSigner signer = formats.signer(TicketFormats.ED25519);

        private Worker worker(long id) throws IOException {
            EngineStub engine = engine(formats.rsaPublicKeyPem(), formats.jwksJson());
            return readyWorker(engine, id, 30);
        }

        private ObjectNode strongAuth(Worker w, String audience, long idx) {
            ObjectNode a = authData(w, idx, 30);
            a.put("signature", signer.sign(new TicketClaims("demo", w.url(), 30.0, idx, idx, audience,
                    Instant.now())));
            return a;
        }

        @Test
        @DisplayName("a ticket for this worker is served")
        void accepted() throws Exception {
            Worker w = worker(30);

            assertThat(postAndWait(w, body(strongAuth(w, "30", REQUEST_IDX.incrementAndGet()), 1, 1)).statusCode())
                    .isEqualTo(200);
        }

        @Test
        @DisplayName("a ticket for another worker is 401")
        void otherAudience() throws Exception {
            Worker w = worker(31);

            assertThat(postAndWait(w, body(strongAuth(w, "99", REQUEST_IDX.incrementAndGet()), 1, 1)).statusCode())
                    .isEqualTo(401);
        }

        @Test
        @DisplayName("a replayed ticket is 401 the second time")
        void replay() throws Exception {
            Worker w = worker(32);
            ObjectNode body = body(strongAuth(w, "32", REQUEST_IDX.incrementAndGet()), 1, 1);
            assertThat(postAndWait(w, body).statusCode()).isEqualTo(200);

            assertThat(postAndWait(w, body).statusCode()).isEqualTo(401);
        }

        @Test
        @DisplayName("the issue's row: a worker of an ed25519 endpoint refuses url-only RSA signatures, 100 of 100")
        void noDowngradeToRsa() throws Exception {
            EngineStub engine = engine(formats.rsaPublicKeyPem(), formats.jwksJson());
            WorkerSettings strongOnly = shortMode(engine, 34, 30, Duration.ofMillis(5));
            strongOnly = new WorkerSettings(strongOnly.reportAddr(), strongOnly.masterToken(), strongOnly.workerId(),
                    strongOnly.publicUrl(), strongOnly.listenPort(), strongOnly.stateDir(), strongOnly.throughput(),
                    strongOnly.maxConcurrency(), strongOnly.maxQueueTime(), strongOnly.coldLoad(), strongOnly.warmLoad(),
                    strongOnly.benchmarkRounds(), strongOnly.benchmarkParallel(), strongOnly.benchmarkCost(),
                    strongOnly.busyReportInterval(), strongOnly.idleReportInterval(), strongOnly.errorRetryInterval(),
                    strongOnly.pubkeyBackoff(), strongOnly.parentPid(), "ed25519");
            Worker w = start(strongOnly);
            engine.awaitStatus(r -> r.path("max_perf").asDouble() > 0);
            int refused = 0;
            for (int i = 0; i < 100; i++) {
                long idx = REQUEST_IDX.incrementAndGet();
                ObjectNode auth = authData(w, idx, 30);
                auth.put("signature", formats.signer(TicketFormats.VAST_RSA).sign(new TicketClaims("demo", w.url(), 30.0,
                        idx, idx, "", Instant.now())));
                refused += postAndWait(w, body(auth, 1, 1)).statusCode() == 401 ? 1 : 0;
            }

            assertThat(refused).isEqualTo(100);
            assertThat(postAndWait(w, body(strongAuth(w, "34", REQUEST_IDX.incrementAndGet()), 1, 1)).statusCode())
                    .isEqualTo(200);
        }

        @Test
        @DisplayName("a vast-rsa signature from the same engine still verifies beside them")
        void rsaToo() throws Exception {
            Worker w = worker(33);
            long idx = REQUEST_IDX.incrementAndGet();
            ObjectNode auth = authData(w, idx, 30);
            auth.put("signature", formats.signer(TicketFormats.VAST_RSA).sign(new TicketClaims("demo", w.url(), 30.0,
                    idx, idx, "", Instant.now())));

            assertThat(postAndWait(w, body(auth, 1, 1)).statusCode()).isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("POST /generate")
    class Generate {

        @ParameterizedTest(name = "auth_data without {0}")
        @ValueSource(strings = {"cost", "endpoint", "reqnum", "request_idx", "signature", "url"})
        @DisplayName("422 naming the missing auth_data field")
        void missingField(String field) throws Exception {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker w = readyWorker(engine, 20, 30);
            ObjectNode auth = authData(w, REQUEST_IDX.incrementAndGet(), 30);
            auth.remove(field);

            HttpResponse<String> answer = postAndWait(w, body(auth, 10, 20));

            assertThat(answer.statusCode()).isEqualTo(422);
            assertThat(answer.body()).contains("auth_data." + field);
        }

        @Test
        @DisplayName("401 with an empty body when the signature does not verify, reported as Rejected")
        void badSignature() throws Exception {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker w = readyWorker(engine, 21, 30);
            long idx = REQUEST_IDX.incrementAndGet();
            ObjectNode auth = authData(w, idx, 30);
            auth.put("signature", TestRsaTickets.sign("http://10.0.0.1:1234"));

            HttpResponse<String> answer = postAndWait(w, body(auth, 10, 20));

            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).isEmpty();
            JsonNode entry = engine.awaitDelete(d -> d.path("requests").path(0).path("request_idx").asLong() == idx)
                    .path("requests").path(0);
            assertThat(entry.path("status").asText()).isEqualTo("Rejected");
            assertThat(entry.path("success").asBoolean()).isFalse();
            assertThat(entry.path("work_started_at").asDouble()).isZero();
        }

        @Test
        @DisplayName("429 once the queued work would take longer than max_queue_time")
        void queueFull() throws Exception {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker w = readyWorker(engine, 22, 0.5);
            // about a minute of work at ~1,000 units/s: the worker stays busy for the whole test
            CompletableFuture<HttpResponse<String>> big = post(w, body(authData(w, REQUEST_IDX.incrementAndGet(), 1),
                    0, 60_000));
            engine.awaitStatus(r -> r.path("num_requests_working").asInt() == 1);

            HttpResponse<String> answer = postAndWait(w, body(authData(w, REQUEST_IDX.incrementAndGet(), 1), 1, 1));

            assertThat(answer.statusCode()).isEqualTo(429);
            assertThat(big).isNotDone();
            engine.awaitStatus(r -> r.path("rej_load").asDouble() == 2.0);
        }

        @Test
        @DisplayName("GET /health is 503 while loading and 200 with max_perf once ready")
        void health() throws Exception {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker loading = start(shortMode(engine, 24, 30, Duration.ofMinutes(10)));
            Worker ready = readyWorker(engine(TestRsaTickets.publicKeyPem()), 25, 30);

            HttpResponse<String> whileLoading = http.send(HttpRequest.newBuilder(
                    URI.create(loading.url() + Worker.HEALTH_ROUTE)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> once = http.send(HttpRequest.newBuilder(
                    URI.create(ready.url() + Worker.HEALTH_ROUTE)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(whileLoading.statusCode()).isEqualTo(503);
            assertThat(once.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(once.body()).path("max_perf").asDouble()).isPositive();
        }

        @Test
        @DisplayName("503 while the model is still loading")
        void loading() throws Exception {
            EngineStub engine = engine(TestRsaTickets.publicKeyPem());
            Worker w = start(shortMode(engine, 23, 30, Duration.ofMinutes(10)));

            HttpResponse<String> answer = postAndWait(w, body(authData(w, 1, 30), 10, 20));

            assertThat(answer.statusCode()).isEqualTo(503);
        }
    }
}
