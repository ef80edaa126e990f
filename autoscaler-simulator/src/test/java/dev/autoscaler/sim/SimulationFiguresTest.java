package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.autoscaler.EndpointConfig;
import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.WorkerGroupConfig;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Figures on tiny hand-made runs whose every number can be worked out on paper: one GPU type at
 * 1,000 perf/s and $3.60/h ($0.001/s), boots of exactly 100 s, resumes of exactly 10 s, no faults,
 * a scripted policy, ticks every 5 s (the first at 5 s).
 */
class SimulationFiguresTest {
    private static final long S = 1_000_000_000L;
    private static final WorldModel WORLD = WorldModel.builder().withoutFaults()
            .boot(new Lognormal(100, 100)).resume(new Lognormal(10, 10))
            .offers(List.of(new GpuOffer("T", 1000, 3.60, 1.0))).build();
    private static final EndpointConfig ENDPOINT = EndpointConfig.builder("ep").policy("scripted").coldWorkers(0)
            .addGroup(WorkerGroupConfig.builder("g").build()).build();

    /** A policy whose active and cold targets are functions of the time in seconds. */
    private static SimulationReport run(Workload workload, ToIntFunction<Double> active, ToIntFunction<Double> cold) {
        SimulationConfig config = SimulationConfig.of(ENDPOINT, workload, 1).withWorld(WORLD);
        return Simulation.builder(config).policies((name, params) -> (EndpointSnapshot s) -> {
            double t = s.nanoTime() / 1e9;
            return ScalingDecision.of(Map.of("g", new GroupTarget(active.applyAsInt(t), cold.applyAsInt(t))), "script");
        }).build().run();
    }

    private static Workload requests(double... secondsAndCosts) {
        long[] at = new long[secondsAndCosts.length / 2];
        double[] cost = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = Math.round(secondsAndCosts[2 * i] * S);
            cost[i] = secondsAndCosts[2 * i + 1];
        }
        return new Workload("hand-made", at, cost);
    }

    @Test
    @DisplayName("a cold start: the first waiting request wakes the endpoint at once; it waits 100 s for the worker, the later ones none")
    void coldStart() {
        SimulationReport r = run(requests(0, 1000, 200, 1000, 230, 1000), t -> 1, t -> 0);

        assertThat(r.requests()).isEqualTo(3);
        assertThat(r.served()).isEqualTo(3);
        assertThat(r.queueTimeP50()).isZero();
        assertThat(r.queueTimeP95()).isEqualTo(100.0);
        assertThat(r.queueTimeP99()).isEqualTo(100.0);
        assertThat(r.sloViolations()).isEqualTo(1);
        assertThat(r.sloViolationFraction()).isEqualTo(1 / 3.0);
        assertThat(r.dropped()).isZero();
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.resumes()).isZero();
        assertThat(r.decisions()).isEqualTo(1);
        assertThat(r.flaps()).isZero();
        assertThat(r.peakWorkers()).isEqualTo(1);
        assertThat(r.maxWorkersRespected()).isTrue();
        // the router's wake-up tick creates the instance at 0 s, not at the first scheduled tick (5 s);
        // the last request is done at 231 s, and the instance billed full price all along
        assertThat(r.simulatedSeconds()).isEqualTo(231.0);
        assertThat(r.gpuHours()).isCloseTo(231 / 3600.0, within(1e-9));
        assertThat(r.costUsd()).isCloseTo(0.231, within(1e-9));
    }

    @Test
    @DisplayName("to the cold pool and back: 201 s at full price, 95 s stopped at 5 %, one resume, two flaps")
    void resume() {
        SimulationReport r = run(requests(300, 1000), t -> t < 60 || t >= 200 ? 1 : 0, t -> t < 60 || t >= 200 ? 0 : 1);

        // created at 5 s; at 60 s the target moves to the pool, but a loading worker is never stopped:
        // it finishes loading at 105 s and is stopped then; resumed at 200 s, ready at 210 s.
        assertThat(r.coldStarts()).isEqualTo(1);
        assertThat(r.resumes()).isEqualTo(1);
        assertThat(r.served()).isEqualTo(1);
        assertThat(r.queueTimeP99()).isZero();
        assertThat(r.simulatedSeconds()).isEqualTo(301.0);
        assertThat(r.gpuHours()).isCloseTo((100 + 101) / 3600.0, within(1e-9));
        assertThat(r.costUsd()).isCloseTo(0.001 * 201 + 0.001 * 0.05 * 95, within(1e-9));
        // +1 at 5 s, -1 at 60 s (55 s later: a flap), +1 at 200 s (140 s later: another)
        assertThat(r.decisions()).isEqualTo(3);
        assertThat(r.flaps()).isEqualTo(2);
    }

    @Test
    @DisplayName("no worker ever: the request is dropped after 120 s, and nothing is spent")
    void drop() {
        SimulationReport r = run(requests(0, 1000), t -> 0, t -> 0);

        assertThat(r.requests()).isEqualTo(1);
        assertThat(r.served()).isZero();
        assertThat(r.dropped()).isEqualTo(1);
        assertThat(r.sloViolations()).isEqualTo(1);
        assertThat(r.sloViolationFraction()).isEqualTo(1.0);
        assertThat(r.costUsd()).isZero();
        assertThat(r.coldStarts()).isZero();
        assertThat(r.simulatedSeconds()).isEqualTo(120.0);
    }

    @Test
    @DisplayName("the JSON has DESIGN.md's keys first, in order, with fixed decimals")
    void jsonKeys() {
        String json = run(requests(0, 1000, 200, 1000, 230, 1000), t -> 1, t -> 0).toJson();

        assertThat(json).startsWith("{\"cost_usd\":0.2310,\"gpu_hours\":0.0642,\"requests\":3,\"served\":3,"
                + "\"queue_time_p50_s\":0.000,\"queue_time_p95_s\":100.000,\"queue_time_p99_s\":100.000,"
                + "\"slo_violations\":1,\"slo_violation_fraction\":0.333333,\"dropped\":0,\"cold_starts\":1,"
                + "\"resumes\":0,\"decisions\":1,\"flaps\":0,\"peak_workers\":1,\"max_workers_respected\":true,");
        assertThat(json).endsWith("\"workload\":\"hand-made\",\"policy\":\"scripted\",\"seed\":1}");
    }
}
