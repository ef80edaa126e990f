package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.Settings;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Ray Serve's documented behaviour: target 2 ongoing requests per replica, delays 30 s up and 600 s down. */
class RayServeScalingPolicyTest {
    private final RayServeScalingPolicy policy = RayServeScalingPolicy.fromParams(Settings.empty());

    private int decide(int replicas, long requestsEach, double at) {
        return policy.decide(SnapshotFixture.endpoint().group("main", 1000).readyWorking(replicas, requestsEach)
                .at(at).build()).targets().get("main").active();
    }

    @Test
    @DisplayName("upscale only after the desired count stayed higher for 30 s: ceil(running x ongoing / (2 x running))")
    void upscaleDelay() {
        assertThat(decide(2, 2, 0)).isEqualTo(2);
        // 2 replicas with 6 ongoing each: 12 / (2 x 2) = 3 -> 6; the 30 s look-back averages it in
        assertThat(decide(2, 6, 5)).isEqualTo(2);
        assertThat(decide(2, 6, 30)).isEqualTo(2);
        assertThat(decide(2, 6, 36)).isGreaterThan(2).isLessThanOrEqualTo(6);
    }

    @Test
    @DisplayName("downscale only after the desired count stayed lower for 600 s")
    void downscaleDelay() {
        assertThat(decide(4, 2, 0)).isEqualTo(4);
        assertThat(decide(4, 0, 100)).isEqualTo(4);
        assertThat(decide(4, 0, 650)).isEqualTo(4);
        assertThat(decide(4, 0, 701)).isEqualTo(1); // min_replicas 1
    }

    @Test
    @DisplayName("from zero replicas the first request asks for one at once")
    void coldStart() {
        RayServeScalingPolicy zero = RayServeScalingPolicy.fromParams(Settings.of(Map.of("min_replicas", "0")));
        assertThat(zero.decide(SnapshotFixture.endpoint().group("main", 1000).at(0).build())
                .targets().get("main").active()).isZero();
        assertThat(zero.decide(SnapshotFixture.endpoint().group("main", 1000).waiting(100, 1).at(5).build())
                .targets().get("main").active()).isEqualTo(1);
    }

    @Test
    @DisplayName("unknown parameters are rejected, naming them")
    void rejectsUnknown() {
        assertThatThrownBy(() -> RayServeScalingPolicy.fromParams(Settings.of(Map.of("smoothing_factor", "1"))))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("smoothing_factor");
    }
}
