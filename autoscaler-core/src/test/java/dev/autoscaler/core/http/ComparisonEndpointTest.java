package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.LoadReport;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.compare.HardwareComparison;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /comparison/")
class ComparisonEndpointTest {
    private static final String KEY = "key-1";

    private RouterHarness h;
    private AutoscalerApi api;

    @BeforeEach
    void setUp() {
        h = new RouterHarness(2);
        HardwareComparison comparison = HardwareComparison.attach(h.engine);
        api = AutoscalerApi.builder(h.router).apiKey(KEY).comparison(comparison).build();
        List<WorkerRecord> ready = h.ready(2, 100);
        h.advance(Duration.ofSeconds(60));
        for (WorkerRecord w : ready) {
            h.engine.report(LoadReport.builder(Long.parseLong(w.instanceId()), "tok-" + w.instanceId()).maxPerf(100)
                    .curPerf(1500).url(w.url()).build());
        }
    }

    private ApiResponse get(String query, String bearer) {
        Map<String, List<String>> headers = bearer == null ? Map.of() : Map.of("Authorization", List.of("Bearer " + bearer));
        return api.handle(new ApiRequest("GET", "/comparison/", query, headers, null));
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return HttpHarness.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.bodyAsString(), e);
        }
    }

    @Test
    @DisplayName("answers the endpoint's figures per group as JSON, with the API key as bearer")
    void figures() {
        ApiResponse response = get("endpoint=llm", KEY);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(ApiResponse.JSON);
        JsonNode body = json(response);
        assertThat(body.get("endpoint").asText()).isEqualTo("llm");
        assertThat(body.get("ranked_by").asText()).isEqualTo("served_work_per_dollar");
        JsonNode main = body.get("groups").get(0);
        assertThat(main.get("name").asText()).isEqualTo("main");
        assertThat(main.get("workers").asInt()).isEqualTo(2);
        assertThat(main.get("served_work").asDouble()).isEqualTo(3000);
        assertThat(main.get("max_perf").get("median").asDouble()).isEqualTo(100);
        // 3000 served over 2 x 100 perf x 60 s ready
        assertThat(main.get("utilization").asDouble()).isEqualTo(0.25);
    }

    @Test
    @DisplayName("the API key may come in the query")
    void keyInQuery() {
        assertThat(get("endpoint=llm&api_key=" + KEY, null).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a missing or wrong key is 401")
    void unauthenticated() {
        assertThat(get("endpoint=llm", null).status()).isEqualTo(401);
        assertThat(get("endpoint=llm", "wrong").status()).isEqualTo(401);
    }

    @Test
    @DisplayName("no endpoint parameter is 400 naming the field")
    void missingEndpoint() {
        ApiResponse response = get("", KEY);
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("endpoint");
    }

    @Test
    @DisplayName("an unknown endpoint is 400 naming the field")
    void unknownEndpoint() {
        ApiResponse response = get("endpoint=nope", KEY);
        assertThat(response.status()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("endpoint");
    }

    @Test
    @DisplayName("POST is 405")
    void wrongMethod() {
        ApiResponse response = api.handle(ApiRequest.of("POST", "/comparison", "endpoint=llm", new byte[0]));
        assertThat(response.status()).isEqualTo(405);
    }

    @Test
    @DisplayName("an API built without a comparison answers 404")
    void notConfigured() {
        AutoscalerApi bare = AutoscalerApi.builder(h.router).apiKey(KEY).build();
        ApiResponse response = bare.handle(new ApiRequest("GET", "/comparison/", "endpoint=llm",
                Map.of("Authorization", List.of("Bearer " + KEY)), null));
        assertThat(response.status()).isEqualTo(404);
    }
}
