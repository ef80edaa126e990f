package dev.autoscaler.core.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.WorkerRecord;
import dev.autoscaler.core.AutoscalerAdmin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Group weights as the router honours them, and as the admin changes them live: two groups of two
 * ready workers each, every worker with room for all the requests (perf far above their cost), so
 * the weights alone decide.
 */
class GroupWeightsTest {
    static final int ROUTES = 10_000;

    RouterHarness h;
    AutoscalerAdmin admin;
    final Map<String, String> groupOfUrl = new HashMap<>();

    @BeforeEach
    void twoGroupsNinetyTen() {
        h = new RouterHarness(4, b -> b.groups(List.of(
                WorkerGroupConfig.builder("big").weight(90).build(),
                WorkerGroupConfig.builder("small").weight(10).build())));
        admin = new AutoscalerAdmin(h.engine);
        h.policy = s -> ScalingDecision.of(Map.of("big", new GroupTarget(2, 0), "small", new GroupTarget(2, 0)), "t");
        h.engine.tick();
        for (WorkerRecord w : h.workers()) {
            h.report(w, 1e12, 0, List.of());
            groupOfUrl.put(w.url(), w.group());
        }
        assertThat(groupOfUrl.values()).containsExactlyInAnyOrder("big", "big", "small", "small");
    }

    /** Routes {@link #ROUTES} requests and returns each group's share of them. */
    Map<String, Double> shares() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < ROUTES; i++) {
            RouteAnswer.Routed r = (RouteAnswer.Routed) h.route(1);
            counts.merge(groupOfUrl.get(r.url()), 1, Integer::sum);
        }
        Map<String, Double> shares = new HashMap<>();
        counts.forEach((g, n) -> shares.put(g, n / (double) ROUTES));
        return shares;
    }

    @Test
    @DisplayName("90/10 weights give 90% and 10% of the routes, within 2 percentage points")
    void ninetyTen() {
        Map<String, Double> shares = shares();

        assertThat(shares.get("big")).isCloseTo(0.90, within(0.02));
        assertThat(shares.getOrDefault("small", 0.0)).isCloseTo(0.10, within(0.02));
    }

    @Test
    @DisplayName("switched live to 50/50, the next routes split evenly, within 2 percentage points")
    void switchedLive() {
        shares();

        admin.setWeight("llm", "big", 50);
        admin.setWeight("llm", "small", 50);
        Map<String, Double> shares = shares();

        assertThat(shares.get("big")).isCloseTo(0.50, within(0.02));
        assertThat(shares.get("small")).isCloseTo(0.50, within(0.02));
    }

    @Test
    @DisplayName("a removed group gets no more routes, even while its workers are still up")
    void removedGroupNotRouted() {
        admin.removeGroup("llm", "small");

        assertThat(h.workers()).filteredOn(w -> w.group().equals("small")).hasSize(2);
        assertThat(shares()).containsOnlyKeys("big");
    }
}
