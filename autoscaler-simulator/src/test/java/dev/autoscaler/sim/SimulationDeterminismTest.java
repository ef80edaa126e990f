package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The default world, faults and all, with the vast policy, on a short slice of the spike scenario. */
class SimulationDeterminismTest {

    private static String run(long seed) {
        Workload w = Scenario.SPIKE.generate(seed).first(1500);
        SimulationConfig config = SimulationConfig.of(SimulationConfig.defaultEndpoint("vast"), w, seed);
        return Simulation.builder(config).build().run().toJson();
    }

    @Test
    @DisplayName("the same seed gives the same JSON, byte for byte")
    void sameSeedSameBytes() {
        assertThat(run(3)).isEqualTo(run(3));
    }

    @Test
    @DisplayName("another seed gives another run")
    void otherSeedOtherRun() {
        assertThat(run(4)).isNotEqualTo(run(3));
    }

    @Test
    @DisplayName("a trace excerpt runs through to the end: every request served or dropped")
    void traceExcerpt() {
        Workload w = TraceReader.standard().read(getClass().getResourceAsStream("/traces/azure-llm-2023-conv-excerpt.csv"),
                "excerpt.csv");
        SimulationReport r = Simulation.builder(SimulationConfig.of(
                SimulationConfig.defaultEndpoint("vast"), w, 1)).build().run();

        assertThat(r.served() + r.dropped()).isEqualTo(300);
        assertThat(r.coldStarts()).isPositive();
        assertThat(r.maxWorkersRespected()).isTrue();
    }
}
