package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.WorkerGroupConfig;
import dev.autoscaler.core.compare.ComparisonReport;
import dev.autoscaler.core.compare.HardwareFigures;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two groups, one per GPU type of the default world (RTX 4090: 2,000 perf/s at $0.40/h; H100: 3,500 at $0.90/h). */
@DisplayName("Simulated hardware comparison")
class HardwareComparisonSimulationTest {

    private static Simulation run(long seed) {
        Workload w = Scenario.STEP.generate(seed).first(1800);
        EndpointConfig endpoint = SimulationConfig.compareEndpoint("vast", WorldModel.defaults());
        Simulation simulation = Simulation.builder(SimulationConfig.of(endpoint, w, seed)).build();
        simulation.run();
        return simulation;
    }

    @Test
    @DisplayName("one group per offer, each limited to its GPU type")
    void groupsPerOffer() {
        EndpointConfig endpoint = SimulationConfig.compareEndpoint("vast", WorldModel.defaults());
        assertThat(endpoint.groups()).extracting(WorkerGroupConfig::name, WorkerGroupConfig::searchParams)
                .map(t -> t.toList())
                .containsExactly(java.util.List.of("rtx-4090", "gpu_name=RTX_4090"),
                        java.util.List.of("h100-sxm", "gpu_name=H100_SXM"));
    }

    @Test
    @DisplayName("the better perf-per-dollar GPU wins: its group ranks first and is named best")
    void betterPerfPerDollarWins() {
        ComparisonReport r = run(1).comparison();

        assertThat(r.groups()).extracting(HardwareFigures::name).containsExactly("rtx-4090", "h100-sxm");
        assertThat(r.bestGroup()).contains("rtx-4090");
        assertThat(r.bestGpuType()).contains("RTX 4090");
        assertThat(r.groups()).allSatisfy(g -> assertThat(g.servedWork()).isPositive());
    }

    @Test
    @DisplayName("each group ran only its own GPU type, and measured its perf")
    void groupsKeepToTheirGpu() {
        ComparisonReport r = run(1).comparison();

        assertThat(r.gpuTypes()).extracting(HardwareFigures::name).containsExactly("RTX 4090", "H100 SXM");
        assertThat(r.groups().get(0).maxPerf().p50()).isEqualTo(2000);
        assertThat(r.groups().get(1).maxPerf().p50()).isEqualTo(3500);
        assertThat(r.groups().get(0).workers()).isEqualTo(r.gpuTypes().get(0).workers());
    }

    @Test
    @DisplayName("the same seed gives the same comparison, byte for byte")
    void deterministic() {
        assertThat(run(5).comparison().toJson()).isEqualTo(run(5).comparison().toJson());
    }
}
