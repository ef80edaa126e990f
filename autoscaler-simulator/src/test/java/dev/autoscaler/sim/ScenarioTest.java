package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ScenarioTest {

    /** Arrivals per second within [from, to) seconds. */
    private static double rate(Workload w, double from, double to) {
        int n = 0;
        for (int i = 0; i < w.size(); i++) {
            double t = w.arrivalNanos(i) / 1e9;
            if (t >= from && t < to) {
                n++;
            }
        }
        return n / (to - from);
    }

    @Test
    @DisplayName("step: 1 req/s, then 6, then 1, then nothing")
    void step() {
        Workload w = Scenario.STEP.generate(7);

        assertThat(rate(w, 0, 600)).isCloseTo(1, within(0.15));
        assertThat(rate(w, 600, 1800)).isCloseTo(6, within(0.3));
        assertThat(rate(w, 1800, 3000)).isCloseTo(1, within(0.1));
        assertThat(rate(w, 3000, 3600)).isZero();
    }

    @Test
    @DisplayName("spike: 1.5 req/s with 12 req/s from minute 20 to 25")
    void spike() {
        Workload w = Scenario.SPIKE.generate(7);

        assertThat(rate(w, 0, 1200)).isCloseTo(1.5, within(0.15));
        assertThat(rate(w, 1200, 1500)).isCloseTo(12, within(0.8));
        assertThat(rate(w, 1500, 3600)).isCloseTo(1.5, within(0.15));
    }

    @Test
    @DisplayName("diurnal: low at both ends, about 8 req/s around minute 60")
    void diurnal() {
        Workload w = Scenario.DIURNAL.generate(7);

        assertThat(rate(w, 0, 300)).isLessThan(0.6);
        assertThat(rate(w, 3300, 3900)).isCloseTo(8, within(0.5));
        assertThat(rate(w, 6900, 7200)).isLessThan(0.6);
    }

    @Test
    @DisplayName("sparse: three 2-minute bursts of 2 req/s and silence between them")
    void sparse() {
        Workload w = Scenario.SPARSE.generate(7);

        for (int burst = 0; burst < 3; burst++) {
            double start = burst * 1800;
            assertThat(rate(w, start, start + 120)).isCloseTo(2, within(0.4));
            assertThat(rate(w, start + 120, start + 1800)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    @DisplayName("costs: median about 1,000, none above the cap")
    void costs(Scenario scenario) {
        Workload w = scenario.generate(3);
        double[] costs = new double[w.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = w.cost(i);
        }
        Arrays.sort(costs);

        assertThat(costs[costs.length / 2]).isCloseTo(Scenario.COST_MEDIAN, within(120.0));
        assertThat(costs[costs.length - 1]).isLessThanOrEqualTo(Scenario.COST_CAP);
        assertThat(w.durationNanos()).isLessThan((long) (scenario.durationSeconds() * 1e9));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    @DisplayName("the same seed gives the same requests, another seed others")
    void seeded(Scenario scenario) {
        Workload a = scenario.generate(11);
        Workload b = scenario.generate(11);
        Workload c = scenario.generate(12);

        assertThat(b.size()).isEqualTo(a.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.arrivalNanos(i)).isEqualTo(a.arrivalNanos(i));
            assertThat(b.cost(i)).isEqualTo(a.cost(i));
        }
        assertThat(c.arrivalNanos(1)).isNotEqualTo(a.arrivalNanos(1));
    }
}
