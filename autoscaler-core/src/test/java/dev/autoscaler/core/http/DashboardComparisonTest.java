package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.core.router.RouterHarness;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the hardware comparison in the dashboard's state.json")
class DashboardComparisonTest {
    private final ComparedFleet fleet = new ComparedFleet().serveOneMinute();

    private static JsonNode json(ApiResponse response) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        try {
            return HttpHarness.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.bodyAsString(), e);
        }
    }

    private JsonNode state(AutoscalerApi api) {
        return json(api.handle(ApiRequest.of("GET", "/dashboard/state.json", "", new byte[0])));
    }

    @Test
    @DisplayName("holds each endpoint's report, without a key, the same as GET /comparison/ with the key")
    void sameAsTheComparisonRoute() {
        JsonNode comparisons = state(fleet.api).path("comparisons");

        JsonNode direct = json(fleet.api.handle(new ApiRequest("GET", "/comparison/", "endpoint=llm",
                Map.of("Authorization", List.of("Bearer " + ComparedFleet.KEY)), null)));
        assertThat(comparisons.size()).isEqualTo(1);
        assertThat(comparisons.get(0)).isEqualTo(direct);
    }

    @Test
    @DisplayName("names the best group and ranks the groups best first, with their figures")
    void rankedWithTheBestNamed() {
        JsonNode report = state(fleet.api).path("comparisons").get(0);

        assertThat(report.path("endpoint").asText()).isEqualTo("llm");
        assertThat(report.path("best_group").asText()).isEqualTo("cheap");
        assertThat(report.path("best_gpu_type").asText()).isEqualTo("RTX 4090");
        JsonNode first = report.path("groups").get(0);
        assertThat(first.path("name").asText()).isEqualTo("cheap");
        assertThat(first.path("rank").asInt()).isEqualTo(1);
        // 1,000 served for $0.40/h x 60 s
        assertThat(first.path("served_work_per_dollar").asDouble()).isEqualTo(150_000.0);
        assertThat(report.path("groups").get(1).path("name").asText()).isEqualTo("fast");
        assertThat(report.path("groups").get(1).path("served_work_per_dollar").asDouble()).isEqualTo(48_000.0);
    }

    @Test
    @DisplayName("has no comparisons field when the API has no comparison")
    void absentWithoutAComparison() {
        AutoscalerApi bare = AutoscalerApi.builder(new RouterHarness(1).router).apiKey(ComparedFleet.KEY).build();

        assertThat(state(bare).has("comparisons")).isFalse();
        assertThat(state(bare).has("workers")).isTrue();
    }
}
