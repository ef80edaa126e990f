package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerState;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The KPA's documented behaviour (perf 1,000/s per pod, so a pod's target is 700/s at utilisation 0.7). */
class KnativeScalingPolicyTest {
    private final KnativeScalingPolicy policy = KnativeScalingPolicy.fromParams(Settings.empty());

    private int decide(SnapshotFixture fixture) {
        return policy.decide(fixture.build()).targets().get("main").active();
    }

    private static SnapshotFixture ready(int pods, double burstRate, double at) {
        return SnapshotFixture.endpoint().group("main", 1000).workers(WorkerState.READY, pods).burst(burstRate).at(at);
    }

    @Test
    @DisplayName("stable mode: ceil(mean over 60 s / (perf x 0.7))")
    void stableMode() {
        for (int t = 0; t < 60; t += 5) {
            decide(ready(4, 2800, t));
        }
        assertThat(decide(ready(4, 2800, 60))).isEqualTo(4); // 2800 / 700
        assertThat(policy.decide(ready(4, 2800, 65).build()).reason()).contains("stable 2,800/s");
    }

    @Test
    @DisplayName("panic starts at 200% of the ready pods on the 6 s window and holds the highest panic count")
    void panicMode() {
        for (int t = 0; t < 60; t += 5) {
            decide(ready(2, 1400, t)); // 2 pods, steady
        }
        // a burst: the 6 s window (the samples at 55 and 60 s) averages 2,800/s -> 4 pods = 2 x 2 ready:
        // panic; the 60 s average is still low
        ScalingDecision burst = policy.decide(ready(2, 4200, 60).build());
        assertThat(burst.targets().get("main").active()).isEqualTo(4);
        assertThat(burst.reason()).contains("panic starts");
        // the burst fades: in panic the count never goes down
        assertThat(decide(ready(4, 700, 65))).isEqualTo(4);
        assertThat(decide(ready(4, 700, 100))).isEqualTo(4);
        // a whole stable window without crossing the threshold ends it (at most half the ready pods go)
        assertThat(decide(ready(4, 700, 126))).isEqualTo(2);
    }

    @Test
    @DisplayName("max scale-down rate 2: never below half of the ready pods in one decision")
    void scaleDownRate() {
        assertThat(decide(ready(10, 0.001, 0))).isEqualTo(5);
    }

    @Test
    @DisplayName("scale to zero only after 30 s of a zero desire")
    void scaleToZeroGrace() {
        assertThat(decide(ready(1, 700, 0))).isEqualTo(1);
        for (int t = 65; t < 95; t += 5) {
            assertThat(decide(ready(1, 0, t))).as("at %d s", t).isEqualTo(1);
        }
        assertThat(decide(ready(1, 0, 96))).isZero();
    }

    @Test
    @DisplayName("unknown and out-of-range parameters are rejected, naming them")
    void rejectsBadParams() {
        assertThatThrownBy(() -> KnativeScalingPolicy.fromParams(Settings.of(Map.of("panic_window", "6"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("panic_window");
        assertThatThrownBy(() -> KnativeScalingPolicy.fromParams(Settings.of(Map.of("target_utilization", "1.5"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("target_utilization");
    }
}
