package dev.autoscaler.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.core.policy.ScalingPolicies;
import dev.autoscaler.core.router.RouterHarness;
import dev.autoscaler.spi.ScalingPolicy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A client (or a worker, or an embedder) cannot poison the scaling signal: 1e308, NaN, Infinity and
 * negatives at every numeric entry point are refused with a 400 naming the field, or add nothing,
 * and the decision the {@code vast} policy takes is the same as without them.
 */
class PoisonedNumbersTest {
    private static final List<String> POISON = List.of("1e308", "-1", "1e300", "\"NaN\"", "\"Infinity\"", "1000001");

    private final ScalingPolicy vast = ScalingPolicies.load().create("vast", Settings.empty());

    @Test
    @DisplayName("/route/ refuses a poisoned cost with 400 naming cost; the load and the decision stay as they were")
    void routeCost() throws Exception {
        try (HttpHarness http = new HttpHarness(new RouterHarness(2, e -> e.maxCost(1_000_000)))) {
            http.h.ready(2, 1000);
            for (int i = 0; i < 20; i++) {
                assertThat(http.post("/route/", "{\"endpoint\":\"llm\",\"api_key\":\"key-1\",\"cost\":100}").statusCode())
                        .isEqualTo(200);
            }
            EndpointSnapshot before = http.h.engine.snapshot("llm");
            ScalingDecision decisionBefore = vast.decide(before);

            for (String cost : POISON) {
                HttpResponse<String> r = http.post("/route/", "{\"endpoint\":\"llm\",\"api_key\":\"key-1\",\"cost\":" + cost + "}");
                assertThat(r.statusCode()).as("cost " + cost).isEqualTo(400);
                assertThat(r.body()).as("cost " + cost).contains("cost");
            }

            EndpointSnapshot after = http.h.engine.snapshot("llm");
            assertThat(after.load()).isEqualTo(before.load());
            assertThat(vast.decide(after).targets()).isEqualTo(decisionBefore.targets());
        }
    }

    @Test
    @DisplayName("a per-endpoint max_cost: a cost above it is 400 naming cost and max_cost, at or below it is routed")
    void configurableBound() throws Exception {
        try (HttpHarness http = new HttpHarness(new RouterHarness(1, e -> e.maxCost(500)))) {
            http.h.ready(1, 1000);
            HttpResponse<String> above = http.post("/route/", "{\"endpoint\":\"llm\",\"api_key\":\"key-1\",\"cost\":501}");
            assertThat(above.statusCode()).isEqualTo(400);
            assertThat(above.body()).contains("cost").contains("max_cost").contains("500");
            assertThat(http.post("/route/", "{\"endpoint\":\"llm\",\"api_key\":\"key-1\",\"cost\":500}").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    @DisplayName("/worker_status/ refuses poisoned figures with 400 naming the field; the load windows stay finite")
    void reports() throws Exception {
        try (HttpHarness http = new HttpHarness(2)) {
            http.h.ready(2, 1000);
            EndpointSnapshot before = http.h.engine.snapshot("llm");
            for (String field : List.of("cur_load", "new_load", "cur_perf", "max_perf", "loadtime", "rej_load")) {
                for (String value : POISON) {
                    if (value.equals("1000001")) {
                        continue; // a legal figure for a report
                    }
                    HttpResponse<String> r = http.post("/worker_status/",
                            "{\"id\":101,\"mtoken\":\"tok-101\",\"" + field + "\":" + value + "}");
                    assertThat(r.statusCode()).as(field + " " + value).isEqualTo(400);
                    assertThat(r.body()).as(field + " " + value).contains(field);
                }
            }
            EndpointSnapshot after = http.h.engine.snapshot("llm");
            assertThat(after.load()).isEqualTo(before.load());
            assertThat(http.h.engine.workers("llm")).allSatisfy(w -> {
                assertThat(Double.isFinite(w.curLoad())).isTrue();
                assertThat(w.maxPerf()).isEqualTo(1000);
            });
        }
    }

    @Test
    @DisplayName("/worker_status/ refuses impossible figures for this worker (load far above its perf, a 1000x perf jump) with 400 naming the field")
    void impossibleForThisWorker() throws Exception {
        try (HttpHarness http = new HttpHarness(2)) {
            http.h.ready(2, 1000);
            EndpointSnapshot before = http.h.engine.snapshot("llm");
            ScalingDecision decisionBefore = vast.decide(before);
            var workersBefore = http.h.engine.workers("llm");
            // max_perf 1000: an hour of work is 3,600,000 perf units; 1000x the perf is 1,000,000 units/s
            for (String[] poison : List.of(new String[] {"cur_load", "3600001"}, new String[] {"new_load", "4e6"},
                    new String[] {"cur_perf", "1000001"}, new String[] {"max_perf", "1000001"})) {
                HttpResponse<String> r = http.post("/worker_status/",
                        "{\"id\":101,\"mtoken\":\"tok-101\",\"max_perf\":1000,\"" + poison[0] + "\":" + poison[1] + "}");
                assertThat(r.statusCode()).as(poison[0]).isEqualTo(400);
                assertThat(r.body()).as(poison[0]).contains(poison[0]);
            }
            EndpointSnapshot after = http.h.engine.snapshot("llm");
            assertThat(after.load()).isEqualTo(before.load());
            assertThat(vast.decide(after).targets()).isEqualTo(decisionBefore.targets());
            assertThat(http.h.engine.workers("llm")).isEqualTo(workersBefore);
            // a plausible report of the same worker still goes through
            assertThat(http.post("/worker_status/", "{\"id\":101,\"mtoken\":\"tok-101\",\"max_perf\":1000,"
                    + "\"cur_load\":3600000,\"cur_perf\":900}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("an embedder's recordRoutedRequest and recordSpillOver with 1e308, NaN, Infinity or negatives add nothing unbounded")
    void embedderEntryPoints() {
        RouterHarness h = new RouterHarness(2);
        h.ready(2, 1000);
        for (int i = 0; i < 10; i++) {
            h.route(100);
        }
        EndpointSnapshot before = h.engine.snapshot("llm");
        ScalingDecision decisionBefore = vast.decide(before);

        for (double poison : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -5}) {
            h.engine.routingHooks().recordRoutedRequest("llm", poison);
            h.engine.routingHooks().recordSpillOver("llm", "main", poison);
        }
        EndpointSnapshot afterNonFinite = h.engine.snapshot("llm");
        assertThat(afterNonFinite.load()).isEqualTo(before.load());
        assertThat(vast.decide(afterNonFinite).targets()).isEqualTo(decisionBefore.targets());

        // 1e308 twice would overflow a plain sum to Infinity; clamped, the windows stay finite
        h.engine.routingHooks().recordRoutedRequest("llm", 1e308);
        h.engine.routingHooks().recordRoutedRequest("llm", 1e308);
        h.advance(Duration.ofSeconds(1));
        EndpointSnapshot afterHuge = h.engine.snapshot("llm");
        assertThat(Double.isFinite(afterHuge.load().arrivalRateShort())).isTrue();
        assertThat(Double.isFinite(afterHuge.load().arrivalRateLong())).isTrue();
        // what the engine works toward stays within max_workers (the engine caps whatever the policy says)
        assertThat(vast.decide(afterHuge).capped(h.engine.endpoint("llm")).targets().values())
                .allSatisfy(t -> assertThat(t.total()).isLessThanOrEqualTo(20));
    }
}
