package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.AutoscalerEvent;
import dev.autoscaler.GroupTarget;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FigureRecorderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static AutoscalerEvent.DecisionMade decision(long second, int fromActive, int toActive, int cold) {
        return new AutoscalerEvent.DecisionMade(T0.plusSeconds(second), "ep", Map.of("g", new GroupTarget(fromActive, cold)),
                Map.of("g", new GroupTarget(toActive, cold)), "test");
    }

    private static SimulationReport report(FigureRecorder f) {
        return f.report(0, new SimulatedProvider(WorldModel.defaults(), new dev.autoscaler.ManualClock(), new EventQueue(), 1),
                0, "w", "p", 1);
    }

    @Test
    @DisplayName("a reversal within 5 minutes is a flap; after 5 minutes it is not; a cold-only change has no direction")
    void flaps() {
        FigureRecorder f = new FigureRecorder(20, 10);
        f.onDecision(decision(0, 0, 2, 0));     // up
        f.onDecision(decision(100, 2, 2, 3));   // cold only: no direction
        f.onDecision(decision(200, 2, 1, 3));   // down, 200 s after the last up: flap
        f.onDecision(decision(600, 1, 3, 3));   // up, 400 s after the last down: not a flap
        f.onDecision(decision(900, 3, 4, 3));   // up again: no reversal

        SimulationReport r = report(f);
        assertThat(r.decisions()).isEqualTo(5);
        assertThat(r.flaps()).isEqualTo(1);
    }

    @Test
    @DisplayName("an instance count above max_workers at any instant breaks the cap, even if it comes back down")
    void cap() {
        FigureRecorder f = new FigureRecorder(2, 10);
        f.instances(1);
        f.instances(3);
        f.instances(2);

        assertThat(report(f).maxWorkersRespected()).isFalse();
        assertThat(report(f).peakWorkers()).isEqualTo(3);
    }

    @Test
    @DisplayName("percentiles are nearest-rank")
    void percentiles() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

        assertThat(FigureRecorder.percentile(sorted, 0.5)).isEqualTo(5);
        assertThat(FigureRecorder.percentile(sorted, 0.95)).isEqualTo(10);
        assertThat(FigureRecorder.percentile(sorted, 0.1)).isEqualTo(1);
        assertThat(FigureRecorder.percentile(new double[0], 0.5)).isZero();
    }
}
