package dev.autoscaler.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.LoadReport;
import dev.autoscaler.core.http.AutoscalerApi;
import dev.autoscaler.core.http.AutoscalerHttpServer;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the real engine over loopback HTTP, and a fake worker that records what it gets. */
class AutoscalerClientTest {
    static final ObjectMapper JSON = new ObjectMapper();

    HttpServer worker;
    final List<String> workerBodies = Collections.synchronizedList(new ArrayList<>());
    final List<String> workerQueries = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger workerRejections = new AtomicInteger();
    RouterHarness h;
    AutoscalerHttpServer engine;
    final List<Duration> sleeps = new ArrayList<>();
    Runnable onSleep = () -> { };

    @BeforeEach
    void start() throws IOException {
        worker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        worker.createContext("/", exchange -> {
            try (exchange) {
                workerBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                workerQueries.add(exchange.getRequestURI().getRawQuery() + " " + exchange.getRequestURI().getPath());
                boolean reject = workerRejections.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                byte[] out = (reject ? "{\"error\":\"full\"}" : "{\"text\":\"hi\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reject ? 429 : 200, out.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(out);
                }
            }
        });
        worker.start();
        String url = "http://127.0.0.1:" + worker.getAddress().getPort();
        h = new RouterHarness(List.of(url), b -> b, b -> b);
        h.scaleTo(1);
        engine = AutoscalerHttpServer.start(AutoscalerApi.builder(h.router).apiKey("key-1")
                .tickets(RouterHarness.TICKETS).build(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2);
    }

    @AfterEach
    void stop() {
        engine.close();
        worker.stop(0);
    }

    AutoscalerClient client() {
        return AutoscalerClient.builder(engine.baseUrl() + "/", "key-1")
                .sleeper(nanos -> {
                    Duration d = Duration.ofNanos(nanos);
                    sleeps.add(d);
                    onSleep.run();
                })
                .random((RandomGenerator) new SplittableRandom(1)).build();
    }

    void workerReady() {
        h.engine.report(LoadReport.builder(101, "tok-101").maxPerf(100).build());
    }

    @Test
    void re_polls_with_the_same_request_idx_and_growing_jittered_waits_until_a_worker_is_ready() {
        AtomicInteger polls = new AtomicInteger();
        onSleep = () -> {
            if (polls.incrementAndGet() == 4) {
                workerReady();
            }
        };

        RouteTicket ticket = client().route("llm", 100);

        assertThat(ticket.url()).startsWith("http://127.0.0.1:");
        assertThat(sleeps).hasSize(4);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
        assertThat(sleeps.get(3)).isBetween(Duration.ofMillis(3750), Duration.ofMillis(6250));
        assertThat(h.engine.snapshot("llm").load().arrivalRateShort()).as("demand counted once").isEqualTo(100);
        assertThat(ticket.requestIdx()).isEqualTo(1);
    }

    @Test
    void calls_the_worker_with_auth_data_session_id_and_payload_and_the_key_in_the_query() throws Exception {
        workerReady();

        WorkerResponse response = client().call("llm", "/v1/completions", 242.0, Map.of("prompt", "hello"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyAsString()).contains("hi");
        JsonNode sent = JSON.readTree(workerBodies.get(0));
        assertThat(sent.get("auth_data")).isEqualTo(response.ticket().answer());
        assertThat(sent.get("auth_data").get("cost").isDouble()).isTrue();
        assertThat(sent.has("session_id")).isTrue();
        assertThat(sent.get("session_id").isNull()).isTrue();
        assertThat(sent.get("payload").get("prompt").asText()).isEqualTo("hello");
        assertThat(workerQueries.get(0)).isEqualTo("api_key=key-1 /v1/completions");
    }

    @Test
    void a_worker_429_routes_again_and_retries() {
        workerReady();
        workerRejections.set(2);

        WorkerResponse response = client().call("llm", "/generate", 10, Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(workerBodies).hasSize(3);
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps).allMatch(d -> d.compareTo(Duration.ofSeconds(5)) <= 0);
    }

    @Test
    void a_bad_key_fails_at_once_without_retrying() {
        AutoscalerClient client = AutoscalerClient.builder(engine.baseUrl(), "wrong").sleeper(nanos -> sleeps.add(Duration.ofNanos(nanos))).build();

        assertThatThrownBy(() -> client.route("llm", 1)).isInstanceOf(AutoscalerClientException.class)
                .extracting(e -> ((AutoscalerClientException) e).status()).isEqualTo(401);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void engine_5xx_is_retried_a_bounded_number_of_times() throws IOException {
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger calls = new AtomicInteger();
        failing.createContext("/", exchange -> {
            try (exchange) {
                calls.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(503, -1);
            }
        });
        failing.start();
        try {
            AutoscalerClient client = AutoscalerClient.builder("http://127.0.0.1:" + failing.getAddress().getPort(), "k")
                    .retries(3).sleeper(nanos -> sleeps.add(Duration.ofNanos(nanos))).build();

            assertThatThrownBy(() -> client.route("llm", 1)).isInstanceOf(AutoscalerClientException.class)
                    .extracting(e -> ((AutoscalerClientException) e).status()).isEqualTo(503);
            assertThat(calls.get()).isEqualTo(3);
            assertThat(sleeps).hasSize(2);
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void gives_up_when_no_worker_becomes_ready_in_time() {
        AutoscalerClient client = AutoscalerClient.builder(engine.baseUrl(), "key-1").sleeper(nanos -> sleeps.add(Duration.ofNanos(nanos)))
                .maxWaitForWorker(Duration.ofSeconds(20)).build();

        assertThatThrownBy(() -> client.route("llm", 1)).isInstanceOf(AutoscalerClientException.class)
                .hasMessageContaining("loading");
        assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isBetween(20_000L, 27_000L);
    }
}
