package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("simulated rolling update of a template mid-trace")
class RollingUpdateSimulationTest {

    private static RollingUpdateSimulation.Result run(Scenario scenario, long seed, double at) {
        SimulationConfig config = SimulationConfig.of(SimulationConfig.defaultEndpoint("vast"), scenario.generate(seed), seed);
        return RollingUpdateSimulation.run(config, at);
    }

    @Test
    @DisplayName("the update finishes: workers drained, no request routed to one, none failed, no capacity taken below target")
    void noDowntime() {
        RollingUpdateSimulation.Result result = run(Scenario.STEP, 1, 0.5);
        RollingUpdateReport r = result.rollingUpdate();

        assertThat(r.fromRevision()).isNotEqualTo(r.toRevision());
        assertThat(r.doneAtSeconds()).isGreaterThan(r.changedAtSeconds());
        assertThat(r.drains()).isPositive();
        assertThat(r.routedToDraining()).isZero();
        assertThat(r.failedDuringUpdate()).isZero();
        assertThat(r.minMarginAfterDrain()).isGreaterThanOrEqualTo(0);
        assertThat(result.report().dropped()).isZero();
    }

    @Test
    @DisplayName("a scale-down during the update fails no request either (diurnal seed 1 failed 5 when it stopped busy workers)")
    void scaleDownFailsNothing() {
        // diurnal seed 1 changes the template at the peak; the policy scales down while the update runs
        RollingUpdateReport r = run(Scenario.DIURNAL, 1, 0.5).rollingUpdate();

        assertThat(r.failedOtherwise()).isZero();
        assertThat(r.failedDuringUpdate()).isZero();
        assertThat(r.routedToDraining()).isZero();
    }

    @Test
    @DisplayName("the same seed prints the same bytes")
    void deterministic() {
        assertThat(run(Scenario.STEP, 2, 0.5).rollingUpdate().toJson())
                .isEqualTo(run(Scenario.STEP, 2, 0.5).rollingUpdate().toJson());
    }
}
