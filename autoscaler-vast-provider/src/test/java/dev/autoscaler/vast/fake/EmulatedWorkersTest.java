package dev.autoscaler.vast.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.autoscaler.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fake's emulated workers, reporting over real HTTP to a stand-in engine that records what it
 * gets. The fake runs on a manual clock, so reports fall due only when the test moves it; the test
 * waits for a report with a bounded blocking take, never a sleep.
 */
@DisplayName("the fake's emulated workers")
class EmulatedWorkersTest {
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);
    private static final Duration LOAD_TIME = Duration.ofSeconds(20);

    private final ObjectMapper json = new ObjectMapper();
    private final ManualClock clock = new ManualClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private final BlockingQueue<JsonNode> reports = new LinkedBlockingQueue<>();
    private HttpServer engine;
    private FakeVastServer fake;

    @BeforeEach
    void start() throws IOException {
        engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        engine.createContext("/worker_status/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                reports.add(json.readTree(in));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        engine.start();
        fake = FakeVastServer.builder(clock).bootDelay(Duration.ZERO).rateLimits(false).noDefaultOffers()
                .emulateWorkers().workerReportInterval(REPORT_INTERVAL).workerLoadTime(LOAD_TIME).start();
    }

    @AfterEach
    void stop() {
        fake.close();
        engine.stop(0);
    }

    private String engineUrl() {
        return "http://127.0.0.1:" + engine.getAddress().getPort();
    }

    private long create(long offerId, String env) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/v0/asks/" + offerId + "/"))
                .header("Authorization", "Bearer " + fake.apiKey())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"image\":\"img\",\"label\":\"w\",\"env\":{" + env + "}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return json.readTree(answer.body()).get("new_contract").asLong();
    }

    private long createWorker(long offerId, String mtoken) throws Exception {
        return create(offerId, "\"-p 3000:3000\":\"1\",\"WORKER_PORT\":\"3000\",\"REPORT_ADDR\":\"" + engineUrl()
                + "/\",\"MASTER_TOKEN\":\"" + mtoken + "\"");
    }

    private JsonNode nextReport() throws InterruptedException {
        JsonNode report = reports.poll(10, TimeUnit.SECONDS);
        assertThat(report).as("a report within 10 s").isNotNull();
        return report;
    }

    private void stateOf(long id, String state) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/v0/instances/" + id + "/"))
                .header("Authorization", "Bearer " + fake.apiKey())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"" + state + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void a_running_instance_reports_loading_then_its_max_perf_from_dlperf_with_its_id_token_and_url() throws Exception {
        long offer = fake.addOffer("RTX 4090", 1, 24, 0.4, 52.0, 0.99);
        long id = createWorker(offer, "token-1");

        JsonNode loading = nextReport();
        int hostPort = fake.instance(id).orElseThrow().hostPorts().get(3000);
        assertThat(loading.get("id").asLong()).isEqualTo(id);
        assertThat(loading.get("mtoken").asText()).isEqualTo("token-1");
        assertThat(loading.get("url").asText()).isEqualTo("http://127.0.0.1:" + hostPort);
        assertThat(loading.get("max_perf").asDouble()).isZero();
        assertThat(loading.get("error_msg").asText()).isEmpty();

        clock.advance(LOAD_TIME);
        JsonNode ready;
        do {
            ready = nextReport(); // loading reports may repeat until the load time has passed
        } while (ready.get("max_perf").asDouble() == 0);
        assertThat(ready.get("max_perf").asDouble()).isEqualTo(520.0);
        assertThat(ready.get("loadtime").asDouble()).isEqualTo(20.0);

        clock.advance(REPORT_INTERVAL);
        assertThat(nextReport().get("max_perf").asDouble()).isEqualTo(520.0);
    }

    @Test
    void a_destroyed_instance_stops_reporting() throws Exception {
        long destroyed = createWorker(fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99), "token-x");
        nextReport();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/v0/instances/" + destroyed + "/"))
                .header("Authorization", "Bearer " + fake.apiKey()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(5));
        reports.clear();

        long other = createWorker(fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99), "token-y");

        assertThat(nextReport().get("id").asLong()).isEqualTo(other);
        assertThat(reports).allSatisfy(r -> assertThat(r.get("id").asLong()).isEqualTo(other));
    }

    @Test
    void a_stopped_instance_stops_reporting() throws Exception {
        long offer = fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99);
        long stopped = createWorker(offer, "token-a");
        nextReport();
        stateOf(stopped, "stopped");
        clock.advance(Duration.ofMinutes(5)); // the stop completes and every report of a live worker falls due
        reports.clear();

        // a second worker's first report proves a round ran after the stop: the first worker sends nothing
        long other = createWorker(fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99), "token-b");
        JsonNode next = nextReport();

        assertThat(next.get("id").asLong()).isEqualTo(other);
        assertThat(reports).allSatisfy(r -> assertThat(r.get("id").asLong()).isEqualTo(other));
        assertThat(fake.instance(stopped).orElseThrow().actualStatus()).isEqualTo("stopped");
    }

    @Test
    void an_instance_without_the_engine_env_has_no_worker() throws Exception {
        create(fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99), "\"-p 3000:3000\":\"1\"");
        long withEnv = createWorker(fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99), "token-c");

        assertThat(nextReport().get("id").asLong()).isEqualTo(withEnv);
    }

    @Test
    void the_worker_answers_http_on_its_instance_url() throws Exception {
        long id = createWorker(fake.addOffer("RTX 3090", 1, 24, 0.25, 28.0, 0.99), "token-d");
        String url = nextReport().get("url").asText();

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"worker\":" + id);
    }
}
