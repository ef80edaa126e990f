package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.core.history.DecisionHistory;
import dev.autoscaler.core.history.EndpointTimeline;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("GET /healthz, /readyz, /decisions/ and the host's own GET routes")
class OperationsRoutesTest {
    private static final String ADMIN = "admin-key-0123456789";
    private final RouterHarness h = new RouterHarness(3);
    private final DecisionHistory history = DecisionHistory.attach(h.engine);
    private final EndpointTimeline timeline = EndpointTimeline.attach(h.engine);
    private final AutoscalerApi api = AutoscalerApi.builder(h.router).apiKey("key-1").tickets(RouterHarness.TICKETS)
            .adminKey(ADMIN).decisions(history).timeline(timeline)
            .get("/metrics", r -> ApiResponse.text(200, "text/plain", "m 1\n")).build();

    private ApiResponse get(String path, String query, String bearer) {
        Map<String, List<String>> headers = bearer == null ? Map.of() : Map.of("Authorization", List.of("Bearer " + bearer));
        return api.handle(new ApiRequest("GET", path, query, headers, new byte[0]));
    }

    private static JsonNode json(ApiResponse r) {
        try {
            return new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(new String(r.body(), StandardCharsets.UTF_8), e);
        }
    }

    @Nested
    @DisplayName("/readyz")
    class Readiness {
        @Test
        @DisplayName("is 503 before the first tick, 200 while the loop ticks, 503 within one interval once it stops")
        void followsTheLoop() {
            assertThat(get("/readyz", null, null).status()).isEqualTo(503);
            assertThat(json(get("/readyz", null, null)).path("checks").path("control_loop").asText())
                    .isEqualTo("no control tick yet");

            h.advance(Duration.ofSeconds(5)); // the first scheduled tick (interval 5 s)
            assertThat(get("/readyz", null, null).status()).isEqualTo(200);
            h.advance(Duration.ofSeconds(5));
            ApiResponse ready = get("/readyz", null, null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(json(ready).path("status").asText()).isEqualTo("ready");
            assertThat(json(ready).path("checks").path("store").asText()).isEqualTo("ok");
            assertThat(json(ready).path("checks").path("keys").asText()).isEqualTo("ok");

            // the loop stops: time passes, no tick runs (the clock alone moves, not the scheduler)
            h.clock.advance(Duration.ofSeconds(5)); // the tick due now does not come
            assertThat(get("/readyz", null, null).status()).as("the missed tick is not late yet").isEqualTo(200);
            h.clock.advance(Duration.ofMillis(2_501));
            ApiResponse stale = get("/readyz", null, null);
            assertThat(stale.status()).as("half an interval after the missed tick").isEqualTo(503);
            assertThat(json(stale).path("status").asText()).isEqualTo("not ready");
            assertThat(json(stale).path("checks").path("control_loop").asText())
                    .isEqualTo("no control tick for 7.5 s (interval 5.0 s)");
        }

        @Test
        @DisplayName("a replica that does not run the control loop (another leads) is ready without ticks of its own")
        void follower() {
            AutoscalerApi follower = AutoscalerApi.builder(h.router).apiKey("key-1").tickets(RouterHarness.TICKETS)
                    .controlLoopHere(() -> false).build();
            ApiResponse ready = follower.handle(new ApiRequest("GET", "/readyz", null, Map.of(), new byte[0]));
            assertThat(ready.status()).isEqualTo(200);
            assertThat(json(ready).path("checks").path("control_loop").asText()).isEqualTo("ok");
        }

        @Test
        @DisplayName("is 503 once the engine is closed; /healthz stays 200; neither asks for a key")
        void closedEngine() {
            h.advance(Duration.ofSeconds(5));
            h.engine.close();
            assertThat(get("/readyz", null, null).status()).isEqualTo(503);
            assertThat(json(get("/readyz", null, null)).path("checks").path("control_loop").asText())
                    .isEqualTo("the engine is not started");
            ApiResponse alive = get("/healthz", null, null);
            assertThat(alive.status()).isEqualTo(200);
            assertThat(alive.bodyAsString()).isEqualTo("{\"status\":\"alive\"}");
        }

        @Test
        @DisplayName("is 503 until the provider has answered a list, saying why; waiting_reason is empty once it has")
        void waitsForTheFirstList() {
            dev.autoscaler.ManualClock clock = new dev.autoscaler.ManualClock();
            dev.autoscaler.ManualScheduler scheduler = new dev.autoscaler.ManualScheduler(clock);
            boolean[] listFails = {true};
            dev.autoscaler.core.provider.StaticInstanceProvider fleet = new dev.autoscaler.core.provider.StaticInstanceProvider(
                    List.of(new dev.autoscaler.core.provider.StaticWorker("101", "tok-101", "http://10.0.0.1:4001")));
            dev.autoscaler.spi.InstanceProvider provider = new dev.autoscaler.spi.InstanceProvider() {
                @Override
                public dev.autoscaler.spi.Instance create(dev.autoscaler.spi.CreateInstanceRequest request) {
                    return fleet.create(request);
                }

                @Override
                public void start(String id) {
                    fleet.start(id);
                }

                @Override
                public void stop(String id) {
                    fleet.stop(id);
                }

                @Override
                public void reboot(String id) {
                    fleet.reboot(id);
                }

                @Override
                public void destroy(String id) {
                    fleet.destroy(id);
                }

                @Override
                public List<dev.autoscaler.spi.Instance> list() {
                    if (listFails[0]) {
                        throw new dev.autoscaler.ProviderException(dev.autoscaler.ProviderException.Kind.UNAVAILABLE, "HTTP 500");
                    }
                    return fleet.list();
                }
            };
            dev.autoscaler.core.Autoscaler engine = dev.autoscaler.core.Autoscaler.builder().clock(clock).scheduler(scheduler)
                    .provider(provider).secret("0123456789abcdef0123456789abcdef".getBytes())
                    .endpoint(dev.autoscaler.EndpointConfig.builder("llm").coldWorkers(0)
                            .addGroup(dev.autoscaler.WorkerGroupConfig.builder("main").build()).build())
                    .build();
            engine.start();
            AutoscalerApi waiting = AutoscalerApi.builder(dev.autoscaler.core.router.Router.builder(engine)
                    .tickets(RouterHarness.TICKETS).build()).tickets(RouterHarness.TICKETS).build();
            scheduler.advance(Duration.ofSeconds(5));

            ApiResponse notReady = waiting.handle(new ApiRequest("GET", "/readyz", null, Map.of(), new byte[0]));
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(json(notReady).path("checks").path("control_loop").asText()).isEqualTo("ok");
            assertThat(json(notReady).path("checks").path("provider_list").asText())
                    .startsWith("waiting for the first successful list").contains("HTTP 500");
            assertThat(json(notReady).path("waiting_reason").asText()).startsWith("waiting for the first successful list");

            listFails[0] = false;
            scheduler.advance(Duration.ofSeconds(60)); // the ticks retry the list with backoff
            ApiResponse ready = waiting.handle(new ApiRequest("GET", "/readyz", null, Map.of(), new byte[0]));
            assertThat(ready.status()).isEqualTo(200);
            assertThat(json(ready).path("checks").path("provider_list").asText()).isEqualTo("ok");
            assertThat(json(ready).path("waiting_reason").asText()).isEmpty();
        }

        @Test
        @DisplayName("answer GET only: POST is 405")
        void methods() {
            assertThat(api.handle(ApiRequest.of("POST", "/readyz", null, new byte[0])).status()).isEqualTo(405);
            assertThat(api.handle(ApiRequest.of("POST", "/healthz/", null, new byte[0])).status()).isEqualTo(405);
        }
    }

    @Nested
    @DisplayName("/decisions/")
    class Decisions {
        @Test
        @DisplayName("records a hold's reason though the targets stay the same, and folds repeated holds of one kind")
        void holdsAreRecorded() {
            h.scaleTo(2);
            h.policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(2, 0)), "metrics stale -> hold 2 active");
            h.engine.tick();
            h.engine.tick();
            h.policy = s -> ScalingDecision.of(Map.of("main", new GroupTarget(2, 0)), "scale-down step 50% -> 2 active");
            h.engine.tick();

            List<DecisionHistory.Entry> entries = history.entries(RouterHarness.ENDPOINT);
            assertThat(entries).extracting(DecisionHistory.Entry::reason).containsExactly(
                    "test", "metrics stale -> hold 2 active", "scale-down step 50% -> 2 active");
            assertThat(entries).extracting(DecisionHistory.Entry::changed).containsExactly(true, false, false);
            assertThat(entries.get(1).count()).isEqualTo(2);
            assertThat(h.engine.lastDecisionReason(RouterHarness.ENDPOINT)).isEqualTo("scale-down step 50% -> 2 active");

            ApiResponse r = get("/decisions/", "endpoint=" + RouterHarness.ENDPOINT, "key-1");
            assertThat(r.status()).isEqualTo(200);
            JsonNode last = json(r).path("decisions").get(2);
            assertThat(last.path("reason").asText()).isEqualTo("scale-down step 50% -> 2 active");
            assertThat(last.path("changed").asBoolean()).isFalse();
            assertThat(last.path("targets").path("main").path("active").asInt()).isEqualTo(2);

            JsonNode dashboard = json(api.handle(ApiRequest.of("GET", "/dashboard/state.json", null, new byte[0])));
            JsonNode endpoint = dashboard.path("endpoints").get(0);
            assertThat(endpoint.path("last_decision_reason").asText()).isEqualTo("scale-down step 50% -> 2 active");
            assertThat(endpoint.path("decisions")).hasSize(3);
            assertThat(endpoint.path("history").path("samples").size()).isPositive();
        }

        @Test
        @DisplayName("needs the endpoint's key or the admin key; a missing endpoint is a 400 naming the field")
        void keys() {
            h.scaleTo(1);
            String query = "endpoint=" + RouterHarness.ENDPOINT;
            assertThat(get("/decisions/", query, null).status()).isEqualTo(401);
            assertThat(get("/decisions/", query, "wrong").status()).isEqualTo(401);
            assertThat(get("/decisions/", query, ADMIN).status()).isEqualTo(200);
            assertThat(get("/decisions/", query + "&api_key=key-1", null).status()).isEqualTo(200);
            ApiResponse missing = get("/decisions/", null, "key-1");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(json(missing).path("field").asText()).isEqualTo("endpoint");
            assertThat(get("/decisions/", "endpoint=nope", ADMIN).status()).isEqualTo(400);
        }
    }

    @Test
    @DisplayName("a host's GET route is served, HEAD too; the built-in paths keep their answers")
    void hostRoutes() {
        assertThat(get("/metrics", null, null).bodyAsString()).isEqualTo("m 1\n");
        assertThat(api.handle(ApiRequest.of("HEAD", "/metrics/", null, new byte[0])).status()).isEqualTo(200);
        assertThat(api.handle(ApiRequest.of("PUT", "/metrics", null, new byte[0])).status()).isEqualTo(405);
    }

    @Test
    @DisplayName("the timeline samples load, ready capacity, workers by state and the queue-time p95 of routed requests")
    void timeline() {
        h.ready(2, 500);
        h.route(100);
        h.route(100);
        h.advance(Duration.ofSeconds(5));
        List<EndpointTimeline.Sample> samples = timeline.samples(RouterHarness.ENDPOINT);
        EndpointTimeline.Sample last = samples.get(samples.size() - 1);
        assertThat(last.readyCapacity()).isEqualTo(1000.0);
        assertThat(last.workers()).containsEntry(dev.autoscaler.WorkerState.READY, 2);
        assertThat(last.routed()).isEqualTo(2);
        assertThat(last.queueP95()).isZero();
        assertThat(last.load()).isPositive();
    }
}
