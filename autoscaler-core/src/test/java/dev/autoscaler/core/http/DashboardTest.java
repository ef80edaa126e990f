package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autoscaler.core.router.RouterHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("GET /dashboard/ and /dashboard/state.json")
class DashboardTest {
    private final HttpHarness http = new HttpHarness(3);

    @AfterEach
    void close() {
        http.close();
    }

    /** One ready worker with perf 500 reporting a load of 120, and a second one still coming up. */
    private void oneReadyOneLoading() {
        http.h.ready(1, 500);
        http.h.report(http.h.workers().get(0), 500, 120, List.of());
        http.h.scaleTo(2);
    }

    private JsonNode state() {
        HttpResponse<String> r = http.get("/dashboard/state.json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(ApiResponse.JSON);
        return HttpHarness.json(r);
    }

    @Nested
    @DisplayName("state.json")
    class State {
        @Test
        @DisplayName("names each endpoint with its config summary, targets and last decision reason, without a key")
        void endpoints() {
            oneReadyOneLoading();

            JsonNode e = state().path("endpoints").get(0);

            assertThat(e.path("name").asText()).isEqualTo(RouterHarness.ENDPOINT);
            assertThat(e.path("state").asText()).isEqualTo("active");
            assertThat(e.has("max_workers")).isTrue();
            assertThat(e.has("target_util")).isTrue();
            assertThat(e.has("target_queue_time")).isTrue();
            assertThat(e.path("targets").path("main").path("active").asInt()).isEqualTo(2);
            assertThat(e.path("targets").path("main").path("cold").asInt()).isZero();
            assertThat(e.path("last_decision_reason").asText()).isEqualTo("test");
        }

        @Test
        @DisplayName("sums each group: targets, live and ready workers, ready perf and load")
        void groups() {
            oneReadyOneLoading();

            JsonNode g = state().path("groups").get(0);

            assertThat(g.path("endpoint").asText()).isEqualTo(RouterHarness.ENDPOINT);
            assertThat(g.path("name").asText()).isEqualTo("main");
            assertThat(g.path("target_active").asInt()).isEqualTo(2);
            assertThat(g.path("workers").asInt()).isEqualTo(2);
            assertThat(g.path("ready").asInt()).isEqualTo(1);
            assertThat(g.path("ready_perf").asDouble()).isEqualTo(500.0);
            assertThat(g.path("cur_load").asDouble()).isEqualTo(120.0);
        }

        @Test
        @DisplayName("lists every worker with id, group, state, load, perf, gpu, $/h and url")
        void workers() {
            oneReadyOneLoading();

            JsonNode workers = state().path("workers");

            assertThat(workers).hasSize(2);
            JsonNode ready = find(workers, "101");
            assertThat(ready.path("group").asText()).isEqualTo("main");
            assertThat(ready.path("state").asText()).isEqualTo("ready");
            assertThat(ready.path("cur_load").asDouble()).isEqualTo(120.0);
            assertThat(ready.path("perf").asDouble()).isPositive();
            assertThat(ready.path("url").asText()).isEqualTo("http://10.0.0.1:4001");
            assertThat(ready.has("gpu")).isTrue();
            assertThat(ready.has("price_per_hour")).isTrue();
            assertThat(find(workers, "102").path("state").asText()).isNotEqualTo("ready");
        }

        @Test
        @DisplayName("holds no secret: no mtoken, no API key")
        void noSecrets() {
            oneReadyOneLoading();

            String body = http.get("/dashboard/state.json").body();

            assertThat(body).doesNotContain("tok-101", "tok-102", HttpHarness.KEY, "mtoken", "api_key");
        }

        @Test
        @DisplayName("is never cached, so each poll sees the engine now")
        void noStore() {
            assertThat(http.get("/dashboard/state.json").headers().firstValue("Cache-Control")).hasValue("no-store");
        }

        @Test
        @DisplayName("shows a worker's state change on the next read")
        void follows() {
            http.h.scaleTo(1);
            assertThat(find(state().path("workers"), "101").path("state").asText()).isNotEqualTo("ready");

            http.h.report(http.h.workers().get(0), 500, 0, List.of());

            assertThat(find(state().path("workers"), "101").path("state").asText()).isEqualTo("ready");
        }
    }

    @Nested
    @DisplayName("the page")
    class Page {
        @Test
        @DisplayName("is one HTML page that polls state.json every second")
        void page() {
            HttpResponse<String> r = http.get("/dashboard/");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(r.body()).startsWith("<!doctype html>").contains("state.json", "setTimeout(poll, 1000)",
                    "<table id=\"workers\"");
        }

        @Test
        @DisplayName("loads nothing from elsewhere: no src, no href, no stylesheet link")
        void selfContained() {
            String body = http.get("/dashboard/").body();

            assertThat(body).doesNotContain("src=", "href=", "<link", "@import");
        }

        @Test
        @DisplayName("answers without its trailing slash too")
        void withoutSlash() {
            assertThat(http.get("/dashboard").statusCode()).isEqualTo(200);
        }

        @Test
        @DisplayName("POST gets 405 with Allow: GET, HEAD")
        void post() {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(http.uri("/dashboard/"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    @DisplayName("turned off, both paths are 404")
    void disabled() {
        AutoscalerApi api = AutoscalerApi.builder(http.h.router).apiKey(HttpHarness.KEY).dashboard(false).build();

        assertThat(api.dashboardEnabled()).isFalse();
        assertThat(api.handle(ApiRequest.of("GET", "/dashboard/", "", new byte[0])).status()).isEqualTo(404);
        assertThat(api.handle(ApiRequest.of("GET", "/dashboard/state.json", "", new byte[0])).status()).isEqualTo(404);
    }

    private static JsonNode find(JsonNode workers, String id) {
        List<String> ids = new ArrayList<>();
        for (JsonNode w : workers) {
            if (w.path("id").asText().equals(id)) {
                return w;
            }
            ids.add(w.path("id").asText());
        }
        throw new AssertionError("no worker " + id + " in " + ids);
    }
}
