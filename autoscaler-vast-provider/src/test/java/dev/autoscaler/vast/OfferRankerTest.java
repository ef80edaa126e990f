package dev.autoscaler.vast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OfferRankerTest {
    private static VastOffer offer(long id, String gpu, double price, double dlperf) {
        return new VastOffer(id, gpu, 1, 24_000, price, dlperf, dlperf / price, 1.0, "");
    }

    private static final VastOffer CHEAP_3090 = offer(1, "RTX 3090", 0.25, 25);      // 100 dlperf/$
    private static final VastOffer FAST_4090 = offer(2, "RTX 4090", 0.40, 50);       // 125 dlperf/$
    private static final VastOffer PRICY_A100 = offer(3, "A100", 1.20, 75);          // 62.5 dlperf/$

    @Test
    @DisplayName("with nothing measured, the order is dlperf per dollar")
    void dlperfPerDollar() {
        assertThat(OfferRanker.rank(List.of(CHEAP_3090, PRICY_A100, FAST_4090), Map.of(), OptionalDouble.empty()))
                .containsExactly(FAST_4090, CHEAP_3090, PRICY_A100);
    }

    @Test
    @DisplayName("reliability scales the value")
    void reliability() {
        VastOffer flaky4090 = new VastOffer(4, "RTX 4090", 1, 24_000, 0.40, 50, 125, 0.5, "");
        assertThat(OfferRanker.rank(List.of(flaky4090, CHEAP_3090), Map.of(), OptionalDouble.empty()))
                .containsExactly(CHEAP_3090, flaky4090);
    }

    @Test
    @DisplayName("a measured GPU type is ranked by its own perf per dollar")
    void measured() {
        // this workload runs 2,000 perf/s on a 3090 (8,000 per $) but only 2,400 on a 4090 (6,000 per $)
        Map<String, Double> perf = Map.of("RTX 3090", 2_000.0, "RTX 4090", 2_400.0);
        assertThat(OfferRanker.rank(List.of(FAST_4090, CHEAP_3090), perf, OptionalDouble.empty()))
                .containsExactly(CHEAP_3090, FAST_4090);
    }

    @Test
    @DisplayName("unmeasured types are scaled into perf units by the measured types' perf/dlperf")
    void calibrated() {
        // the 3090 was measured at 1,000 perf/s (40 perf per dlperf: 4,000 per $); the 4090 is
        // estimated at 50 x 40 = 2,000 (5,000 per $) and wins; the A100 at 3,000 (2,500 per $) loses
        Map<String, Double> perf = Map.of("RTX 3090", 1_000.0);
        assertThat(OfferRanker.rank(List.of(PRICY_A100, CHEAP_3090, FAST_4090), perf, OptionalDouble.empty()))
                .containsExactly(FAST_4090, CHEAP_3090, PRICY_A100);
        assertThat(OfferRanker.calibration(List.of(CHEAP_3090, FAST_4090), perf)).isEqualTo(40.0);
    }

    @Test
    @DisplayName("offers above the price limit, or without a price, are dropped")
    void priceLimit() {
        VastOffer free = offer(5, "RTX 3090", 0.0, 25);
        assertThat(OfferRanker.rank(List.of(PRICY_A100, CHEAP_3090, FAST_4090, free), Map.of(), OptionalDouble.of(0.5)))
                .containsExactly(FAST_4090, CHEAP_3090);
    }

    @Test
    @DisplayName("ties keep the search's order")
    void ties() {
        VastOffer twin = offer(6, "RTX 4090", 0.40, 50);
        assertThat(OfferRanker.rank(List.of(twin, FAST_4090), Map.of(), OptionalDouble.empty()))
                .containsExactly(twin, FAST_4090);
    }
}
