package dev.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.InvalidConfigException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkloadStartTest {
    private final Workload w = new Workload("w", new long[] {2_000_000_000L, 5_000_000_000L}, new double[] {1, 2});

    @Test
    @DisplayName("startingAt moves the first arrival to the warm-up and keeps the gaps, costs and name")
    void moves() {
        Workload moved = w.startingAt(600);
        assertThat(moved.arrivalNanos(0)).isEqualTo(600_000_000_000L);
        assertThat(moved.arrivalNanos(1)).isEqualTo(603_000_000_000L);
        assertThat(moved.cost(1)).isEqualTo(2);
        assertThat(moved.name()).isEqualTo("w");
        assertThat(w.startingAt(0).arrivalNanos(0)).isZero();
    }

    @Test
    @DisplayName("a negative or non-finite warm-up is rejected, naming warm_up")
    void rejects() {
        assertThatThrownBy(() -> w.startingAt(-1)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("warm_up");
        assertThatThrownBy(() -> w.startingAt(Double.NaN)).isInstanceOf(InvalidConfigException.class);
    }
}
