package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Several policies and the perfect-foresight reference on one world and seed. */
class PolicyComparisonTest {

    private static SimulationConfig config(long seed) {
        Workload w = Scenario.STEP.generate(seed).first(1200).startingAt(600);
        return SimulationConfig.of(SimulationConfig.defaultEndpoint("vast"), w, seed).withTailSeconds(600);
    }

    private static PolicyComparison.Result compare(long seed, int threads) {
        SimulationConfig c = config(seed);
        return PolicyComparison.run(c, List.of("vast", "fixed"),
                name -> c.endpoint().toBuilder().policy(name).build(), threads);
    }

    @Test
    @DisplayName("one run per policy plus the reference, the same bytes on one thread or two")
    void deterministicAcrossThreads() {
        PolicyComparison.Result one = compare(2, 1);
        PolicyComparison.Result two = compare(2, 2);
        assertThat(two.toJson(600, 600)).isEqualTo(one.toJson(600, 600));
        assertThat(one.policies()).extracting(SimulationReport::policy).containsExactly("vast", "fixed");
        assertThat(one.oracle().policy()).isEqualTo(ForesightPolicy.NAME);
        assertThat(one.toJson(600, 600)).contains("\"oracle_cost_usd\":", "\"cost_vs_oracle\":", "\"policies\":[");
        assertThat(one.toTable(600, 600)).contains("vast", "fixed", "oracle", "vs oracle");
    }

    @Test
    @DisplayName("each policy's run is the run it would have alone: the comparison changes nothing")
    void sameAsAlone() {
        SimulationConfig c = config(3);
        SimulationReport alone = Simulation.builder(c).build().run();
        assertThat(compare(3, 2).policies().get(0).toJson()).isEqualTo(alone.toJson());
    }

    @Test
    @DisplayName("the reference serves the load it foresaw, within the SLO, in the same world")
    void referenceServes() {
        SimulationReport oracle = PolicyComparison.runOracle(config(1));
        assertThat(oracle.served()).isEqualTo(oracle.requests());
        assertThat(oracle.sloViolationFraction()).isLessThan(0.01);
        assertThat(oracle.maxWorkersRespected()).isTrue();
    }

    @Test
    @DisplayName("the warm-up and the cool-down are simulated and billed")
    void warmUpAndCoolDownAreBilled() {
        SimulationConfig c = config(1);
        SimulationReport report = Simulation.builder(c).build().run();
        Workload w = c.workload();
        assertThat(w.arrivalNanos(0)).isEqualTo(600_000_000_000L);
        assertThat(report.simulatedSeconds()).isGreaterThanOrEqualTo(w.durationNanos() / 1e9 + 600);
        SimulationReport shorter = Simulation.builder(c.withTailSeconds(0)
                .withWorkload(Scenario.STEP.generate(1).first(1200).startingAt(0))).build().run();
        assertThat(report.costUsd()).isGreaterThan(shorter.costUsd()); // cold_workers idle for 20 more minutes
    }
}
