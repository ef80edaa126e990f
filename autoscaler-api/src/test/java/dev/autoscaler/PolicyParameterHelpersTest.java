package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The api's helpers for policy parameters")
class PolicyParameterHelpersTest {
    private final Settings params = Settings.of("policy_params",
            Map.of("window", "90", "per_worker", "0.5", "mode", "fast"));

    @Test
    @DisplayName("rejectUnknown names the unknown key and lists the known ones")
    void rejectUnknown() {
        assertThatThrownBy(() -> params.rejectUnknown("the half policy", Set.of("window", "per_worker")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("policy_params.mode: is not a parameter of the half policy; known: per_worker, window")
                .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo("policy_params.mode");
        params.rejectUnknown("the half policy", Set.of("window", "per_worker", "mode"));
    }

    @Test
    @DisplayName("typed getters with a bound name the parameter")
    void boundedGetters() {
        assertThat(params.getIntAtLeast("window", 60, 10)).isEqualTo(90);
        assertThat(params.getIntAtLeast("absent", 60, 10)).isEqualTo(60);
        assertThatThrownBy(() -> params.getIntAtLeast("window", 60, 100))
                .hasMessage("policy_params.window: must be >= 100, got 90");
        assertThatThrownBy(() -> params.getIntAtLeast("per_worker", 1, 0))
                .hasMessage("policy_params.per_worker: must be an integer, got '0.5'");
        assertThatThrownBy(() -> params.getDoubleAtLeast("per_worker", 1, 1))
                .hasMessage("policy_params.per_worker: must be >= 1, got 0.5");
        assertThat(params.getChoice("mode", "slow", "slow", "fast")).isEqualTo("fast");
        assertThatThrownBy(() -> params.getChoice("mode", "slow", "slow", "steady"))
                .hasMessage("policy_params.mode: must be one of slow, steady, got 'fast'");
    }

    @Test
    @DisplayName("WholeWorkers rounds capacity up to whole workers, but not on floating-point noise")
    void wholeWorkers() {
        assertThat(WholeWorkers.forCapacity(2001, 1000)).isEqualTo(3);
        assertThat(WholeWorkers.forCapacity(0.3 * 10_000 / 0.1, 10_000)).isEqualTo(3);
        assertThat(WholeWorkers.forCapacity(1, 1000)).isEqualTo(1);
        assertThat(WholeWorkers.forCapacity(0, 1000)).isZero();
        assertThat(WholeWorkers.forCapacity(500, 0)).isZero();
        assertThat(WholeWorkers.forCapacity(Double.NaN, 1000)).isZero();
        assertThat(WholeWorkers.forCapacity(1e300, 1)).isEqualTo(Integer.MAX_VALUE);
    }
}
