package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import org.junit.jupiter.api.Test;

class WorkloadTest {
    private final Workload w = new Workload("w", new long[] {0, 1_000_000_000L, 3_000_000_000L}, new double[] {1, 2, 3});

    @Test
    void aTimeScaleBelowOneCompressesTime() {
        Workload half = w.timeScaled(0.5);

        assertThat(half.arrivalNanos(2)).isEqualTo(1_500_000_000L);
        assertThat(half.cost(2)).isEqualTo(3);
        assertThat(half.name()).isEqualTo("w x0.5");
    }

    @Test
    void aTimeScaleAboveOneStretchesTime() {
        assertThat(w.timeScaled(10).durationNanos()).isEqualTo(30_000_000_000L);
    }

    @Test
    void aTimeScaleMustBePositive() {
        assertThatThrownBy(() -> w.timeScaled(0)).isInstanceOfSatisfying(InvalidConfigException.class,
                e -> assertThat(e.field()).isEqualTo("time_scale"));
    }

    @Test
    void arrivalsMustNotGoBackwards() {
        assertThatThrownBy(() -> new Workload("x", new long[] {5, 4}, new double[] {1, 1}))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("arrival 1");
    }
}
