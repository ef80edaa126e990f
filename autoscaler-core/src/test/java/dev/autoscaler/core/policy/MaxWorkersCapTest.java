package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("max_workers cap")
class MaxWorkersCapTest {

    @Test
    @DisplayName("leaves a decision that fits alone")
    void fits() {
        int[] active = {3, 2};
        int[] cold = {1, 1};

        assertThat(MaxWorkersCap.apply(7, List.of(false, false), active, cold)).isEmpty();
        assertThat(active).containsExactly(3, 2);
        assertThat(cold).containsExactly(1, 1);
    }

    @Test
    @DisplayName("levels the largest cold pools down first")
    void levelsLargestFirst() {
        int[] active = {0, 0, 0};
        int[] cold = {6, 2, 4};

        MaxWorkersCap.apply(9, List.of(false, false, false), active, cold);

        assertThat(cold).containsExactly(4, 2, 3);
    }

    @Test
    @DisplayName("overflow groups give up workers before primary ones")
    void overflowFirst() {
        int[] active = {4, 4};
        int[] cold = {2, 2};

        MaxWorkersCap.apply(9, List.of(false, true), active, cold);

        assertThat(cold).containsExactly(1, 0);
        assertThat(active).containsExactly(4, 4);
    }

    @Test
    @DisplayName("with every cold worker gone, trims active ones")
    void thenActive() {
        int[] active = {5, 5};
        int[] cold = {1, 0};

        String note = MaxWorkersCap.apply(7, List.of(false, false), active, cold);

        assertThat(cold).containsExactly(0, 0);
        assertThat(active).containsExactly(4, 3);
        assertThat(note).isEqualTo("max_workers 7 -> 1 fewer cold, 3 fewer active");
    }

    @Test
    @DisplayName("huge counts are trimmed in a few steps")
    void hugeCounts() {
        int[] active = {Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] cold = {Integer.MAX_VALUE, 0};

        MaxWorkersCap.apply(20, List.of(false, false), active, cold);

        assertThat(cold).containsExactly(0, 0);
        assertThat(active).containsExactly(10, 10);
    }

    @Test
    @DisplayName("a group's own cap trims its cold first, then its active; groups without one are left alone")
    void groupCaps() {
        int[] active = {1, 5, 3};
        int[] cold = {4, 2, 9};
        List<dev.autoscaler.WorkerGroupConfig> groups = List.of(
                dev.autoscaler.WorkerGroupConfig.builder("a").maxWorkers(2).build(),
                dev.autoscaler.WorkerGroupConfig.builder("b").maxWorkers(3).build(),
                dev.autoscaler.WorkerGroupConfig.builder("c").build());

        String note = MaxWorkersCap.applyGroupCaps(groups, active, cold);

        assertThat(active).containsExactly(1, 3, 3);
        assertThat(cold).containsExactly(1, 0, 9);
        assertThat(note).isEqualTo("group max_workers: a 2, b 3");
    }
}
