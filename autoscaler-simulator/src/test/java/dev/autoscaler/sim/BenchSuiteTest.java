package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bench on a small suite: its means, its reference, and its determinism per seed. */
class BenchSuiteTest {
    private static final List<BenchSuite.NamedWorkload> SMALL = List.of(
            new BenchSuite.NamedWorkload("step-slice", seed -> Scenario.STEP.generate(seed).first(600)),
            new BenchSuite.NamedWorkload("sparse-fast", seed -> Scenario.SPARSE.generate(seed).timeScaled(0.2)));

    private static BenchSuite.Result run(List<Long> seeds, int threads) {
        return BenchSuite.run(SMALL, List.of("vast", "fixed"),
                name -> SimulationConfig.defaultEndpoint(name), seeds, 300, 300, threads);
    }

    @Test
    @DisplayName("the same seeds give the same bytes, on one thread or two")
    void deterministicPerSeed() {
        BenchSuite.Result one = run(List.of(1L, 2L), 1);
        BenchSuite.Result two = run(List.of(1L, 2L), 2);
        assertThat(two.toJson()).isEqualTo(one.toJson());
        assertThat(two.toTable()).isEqualTo(one.toTable());
        assertThat(run(List.of(3L, 2L), 2).toJson()).isNotEqualTo(one.toJson());
    }

    @Test
    @DisplayName("one mean row per workload and policy, the reference last; means are of the runs")
    void meansOfTheRuns() {
        BenchSuite.Result r = run(List.of(1L, 2L), 2);
        assertThat(r.rows()).extracting(BenchSuite.Row::policy)
                .containsExactly("vast", "fixed", "oracle", "vast", "fixed", "oracle");
        assertThat(r.runs()).hasSize(2 * 2 * 3);

        SimulationConfig c1 = SimulationConfig.of(SimulationConfig.defaultEndpoint("vast"),
                Scenario.STEP.generate(1).first(600).startingAt(300), 1).withTailSeconds(300);
        SimulationConfig c2 = SimulationConfig.of(SimulationConfig.defaultEndpoint("vast"),
                Scenario.STEP.generate(2).first(600).startingAt(300), 2).withTailSeconds(300);
        double mean = (Simulation.builder(c1).build().run().costUsd() + Simulation.builder(c2).build().run().costUsd()) / 2;
        BenchSuite.Row vast = r.rows().get(0);
        assertThat(vast.costUsd()).isEqualTo(mean);
        BenchSuite.Row oracle = r.rows().get(2);
        assertThat(vast.costVsOracle()).isEqualTo(vast.costUsd() / oracle.costUsd());
        assertThat(oracle.costVsOracle()).isEqualTo(1.0);
        assertThat(r.toTable()).contains("| step-slice | vast |").contains("|  | oracle |").contains("seeds (1-2)");
        assertThat(r.toJson()).startsWith("{\"seeds\":[1,2],\"warm_up_s\":300.000,\"cool_down_s\":300.000,\"means\":[")
                .contains("\"bench_workload\":\"sparse-fast\"");
    }
}
