package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerState;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HPA's documented behaviour; target utilisation 0.5 of 1,000/s: 500/s per pod. */
class HpaScalingPolicyTest {
    private final HpaScalingPolicy policy = HpaScalingPolicy.fromParams(Settings.of(Map.of("target_utilization", "0.5")));

    private int decide(int ready, double rate, double at) {
        var decision = policy.decide(SnapshotFixture.endpoint().group("main", 1000).workers(WorkerState.READY, ready)
                .rate(rate).at(at).build());
        return decision.keepCurrent() ? -1 : decision.targets().get("main").active();
    }

    @Test
    @DisplayName("desired = ceil(current x metric / target)")
    void formula() {
        assertThat(decide(4, 3000, 0)).isEqualTo(6); // 4 x (3000 / 4 / 500) = 6
    }

    @Test
    @DisplayName("within the 0.1 tolerance nothing changes")
    void tolerance() {
        assertThat(decide(4, 2180, 0)).isEqualTo(4); // ratio 1.09
        assertThat(decide(4, 2240, 15)).isEqualTo(5); // ratio 1.12
    }

    @Test
    @DisplayName("acts every 15 s: between syncs the last sync's decision stands")
    void syncPeriod() {
        assertThat(decide(4, 3000, 0)).isEqualTo(6);
        assertThat(decide(4, 10_000, 5)).isEqualTo(6);
        assertThat(decide(4, 10_000, 15)).isEqualTo(8); // 4 + 4 pods per 15 s
    }

    @Test
    @DisplayName("scale-down is stabilised on the highest recommendation of the last 5 minutes")
    void scaleDownStabilisation() {
        assertThat(decide(6, 3000, 0)).isEqualTo(6);
        assertThat(decide(6, 1000, 15)).isEqualTo(6); // recommends 2, the window holds 6
        assertThat(decide(6, 1000, 285)).isEqualTo(6);
        assertThat(decide(6, 1000, 315)).isEqualTo(2);
    }

    @Test
    @DisplayName("scale-up at most max(+4 pods, +100%) per 15 s")
    void scaleUpLimit() {
        assertThat(decide(2, 20_000, 0)).isEqualTo(6); // wants 40: 2 + 4
        assertThat(decide(10, 100_000, 15)).isEqualTo(20); // wants 200: 10 x 2
    }

    @Test
    @DisplayName("min_replicas 1 by default: no scale to zero")
    void minReplicas() {
        assertThat(decide(1, 0, 0)).isEqualTo(1);
        assertThatThrownBy(() -> HpaScalingPolicy.fromParams(Settings.of(Map.of("stabilization", "1"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("stabilization");
    }
}
