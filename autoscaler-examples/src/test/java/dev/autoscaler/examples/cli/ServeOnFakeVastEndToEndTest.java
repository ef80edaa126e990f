package dev.autoscaler.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.Clock;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.WorkerState;
import dev.autoscaler.server.ConfiguredServer;
import dev.autoscaler.server.ServerConfig;
import dev.autoscaler.server.ServerConfigLoader;
import dev.autoscaler.vast.fake.FakeInstance;
import dev.autoscaler.vast.fake.FakeVastServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./autoscaler fake-vast --emulate-workers} plus {@code ./autoscaler serve} do, in one
 * JVM: the served engine ({@link ConfiguredServer}, provider {@code vast} with {@code base_url} = the
 * fake) rents instances on the fake when {@code /route/} requests wait, the fake's emulated workers
 * report to the engine over HTTP until READY, the request is routed to a worker that answers, and
 * once nothing waits any more the engine gives the instances back.
 *
 * <p>Everything runs on real clocks and threads, so the test polls for each condition with a
 * deadline (never a fixed sleep). The requests cost 0: the default policy's arrival-rate windows
 * (60 s and 300 s) would otherwise hold the fleet for five minutes after the traffic stops, while
 * waiting requests alone bring a group up (PROTOCOL.md: a group never gets 0 while requests wait)
 * and, with {@code inactivity_timeout} 0, {@code cold_workers} 0 and {@code cold_destroy_delay} 0,
 * an endpoint with nothing waiting goes back to zero at once.
 */
@DisplayName("serve with the vast provider on the fake Vast API with emulated workers")
class ServeOnFakeVastEndToEndTest {
    /**
     * Generous: the routed request (cost 0) is a reservation the emulated worker never accounts for,
     * so its worker is not idle, and not stopped, until the router's 30 s reservation timeout ends it.
     */
    private static final Duration DEADLINE = Duration.ofSeconds(75);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeVastServer fake;
    private ConfiguredServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private String config(Path dir, int port) {
        return """
                {
                  "listen": "127.0.0.1:%d",
                  "public_url": "http://127.0.0.1:%d",
                  "api_keys": ["client-key"],
                  "engine_secret": "fake-vast-e2e-secret-0123456789",
                  "state_dir": "%s",
                  "tick_interval": 0.1,
                  "sync_interval": 0.5,
                  "provider": {"name": "vast", "settings": {
                    "base_url": "%s", "api_key": "%s",
                    "create_interval_s": 0, "list_interval_s": 0, "manage_interval_s": 0, "search_interval_s": 0,
                    "backoff_base_s": 0.05, "backoff_max_s": 0.2, "timeout_s": 5}},
                  "endpoints": [{
                    "endpoint_name": "llm", "min_load": 0, "cold_workers": 0, "max_workers": 2,
                    "inactivity_timeout": 0, "cold_destroy_delay": 0,
                    "groups": [{"group_name": "main", "template": {"image": "vastai/pyworker:1"},
                                "search_params": "gpu_name=RTX_4090 num_gpus=1"}]
                  }]
                }
                """.formatted(port, port, dir, fake.baseUrl(), fake.apiKey());
    }

    private JsonNode route(long requestIdx) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/route/"))
                .header("Authorization", "Bearer client-key")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"endpoint\": \"llm\", \"cost\": 0, \"request_idx\": " + requestIdx + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    /** Polls {@code condition} every 20 ms until it holds; fails naming {@code what} after the deadline. */
    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < end).as("within " + DEADLINE.toSeconds() + " s: " + what).isTrue();
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private List<WorkerRecord> workers() {
        return server.engine().workers("llm");
    }

    private List<FakeInstance> runningOnFake() {
        return fake.instances().stream().filter(i -> i.actualStatus().equals("running")
                && i.intendedStatus().equals("running")).toList();
    }

    @Test
    void waiting_requests_rent_instances_that_become_ready_and_serve_then_idle_gives_them_back(@TempDir Path dir)
            throws Exception {
        fake = FakeVastServer.builder(Clock.system()).bootDelay(Duration.ofMillis(300)).stopDelay(Duration.ofMillis(200)).rateLimits(false)
                .emulateWorkers().workerLoadTime(Duration.ofMillis(300)).workerReportInterval(Duration.ofSeconds(1))
                .start();
        int port = freePort();
        ServerConfig config = new ServerConfigLoader(Map.<String, String>of()::get).parseJson(config(dir, port));
        server = ConfiguredServer.start(config);

        // scale up: the first request waits (nothing runs), and its waiting rents an instance
        JsonNode first = route(0);
        long requestIdx = first.get("request_idx").asLong();
        assertThat(first.has("url")).as("nothing runs yet: %s", first).isFalse();
        await("an instance created on the fake", () -> !fake.instances().isEmpty());
        await("a READY worker in the engine", () -> workers().stream().anyMatch(w -> w.state() == WorkerState.READY));

        // while the request still waits (it was not re-polled) the engine keeps the worker: look at it now
        WorkerRecord ready = workers().stream().filter(w -> w.state() == WorkerState.READY).findFirst().orElseThrow();
        FakeInstance instance = fake.instance(Long.parseLong(ready.instanceId())).orElseThrow();
        assertThat(instance.env()).containsEntry("REPORT_ADDR", "http://127.0.0.1:" + port)
                .containsEntry("MASTER_TOKEN", ready.mtoken());
        assertThat(ready.url()).isEqualTo("http://127.0.0.1:" + instance.hostPorts().get(3000));
        assertThat(ready.maxPerf()).isEqualTo(520.0); // RTX 4090: dlperf 52 x 10
        HttpResponse<String> work = http.send(HttpRequest.newBuilder(URI.create(ready.url() + "/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": {}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(work.statusCode()).isEqualTo(200);

        // the re-polled request is routed to that worker (from here on nothing waits)
        JsonNode routed = route(requestIdx);
        assertThat(routed.path("url").asText()).as("routed: %s", routed).isEqualTo(ready.url());
        assertThat(routed.get("signature").asText()).isNotEmpty();

        // scale down: nothing waits any more, so the engine gives every instance back
        await("no instance left running on the fake", () -> runningOnFake().isEmpty());
        await("no worker left active in the engine", () -> workers().stream()
                .allMatch(w -> w.state() == WorkerState.DESTROYED || w.state() == WorkerState.STOPPED));
        await("the instance destroyed on the fake", () -> fake.instances().isEmpty());
    }
}
