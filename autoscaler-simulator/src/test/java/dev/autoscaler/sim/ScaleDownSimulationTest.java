package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole engine under generated load: a scale-down drains busy workers before it stops them, so
 * no request is lost to one. Seed 1 of these scenarios has no worker error, so every retry (a
 * worker that went away while holding a request) would be a busy worker stopped.
 */
@DisplayName("simulated scale-downs lose no request")
class ScaleDownSimulationTest {

    @ParameterizedTest(name = "{0}: no request retried (was {1} when busy workers were stopped)")
    @CsvSource({"STEP, 19", "DIURNAL, 57", "SPIKE, 40"})
    void noRequestRetried(Scenario scenario, int retriedBefore) {
        SimulationConfig config = SimulationConfig.of(SimulationConfig.defaultEndpoint("vast"), scenario.generate(1), 1);

        SimulationReport report = Simulation.builder(config).build().run();

        assertThat(report.workerErrors()).isZero();
        assertThat(report.retried()).isZero();
        // every request is served or, waiting past the clients' 120 s at the cold start, dropped: none
        // is lost otherwise. (Drops are the cold start's, not a scale-down's: since workers loading for
        // the cold pool no longer count as active, diurnal's endpoint, born at its first request,
        // waits for its first boots alone and drops 2 of 29,813.)
        assertThat(report.served() + report.dropped()).isEqualTo(report.requests());
        assertThat(report.dropped()).isLessThanOrEqualTo(report.requests() / 1000);
    }
}
