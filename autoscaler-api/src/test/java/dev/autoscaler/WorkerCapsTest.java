package dev.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WorkerCaps: the one max_workers rule")
class WorkerCapsTest {

    @Test
    @DisplayName("(4,0) + (4,0) under an endpoint cap of 6 is (3,0) + (3,0): the larger groups level down together")
    void documentedSplit() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(6, group("a"), group("b")),
                targets(4, 0, 4, 0));

        assertThat(capped.targets()).containsExactly(Map.entry("a", new GroupTarget(3, 0)),
                Map.entry("b", new GroupTarget(3, 0)));
        assertThat(capped.endpointNote()).isEqualTo("max_workers 6: 2 fewer active");
    }

    @Test
    @DisplayName("leaves a decision that fits alone")
    void fits() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(7, group("a"), group("b")), targets(3, 1, 2, 1));

        assertThat(capped.targets()).isEqualTo(targets(3, 1, 2, 1));
        assertThat(capped.changed()).isFalse();
        assertThat(capped.note()).isEmpty();
    }

    @Test
    @DisplayName("levels the largest cold pools down first")
    void levelsLargestFirst() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(9, group("a"), group("b"), group("c")),
                targets(0, 6, 0, 2, 0, 4));

        assertThat(capped.targets().values()).extracting(GroupTarget::cold).containsExactly(4, 2, 3);
    }

    @Test
    @DisplayName("overflow groups give up workers before primary ones")
    void overflowFirst() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(9, group("a"),
                WorkerGroupConfig.builder("b").overflow(true).build()), targets(4, 2, 4, 2));

        assertThat(capped.targets()).containsExactly(Map.entry("a", new GroupTarget(4, 1)),
                Map.entry("b", new GroupTarget(4, 0)));
    }

    @Test
    @DisplayName("with every cold worker gone, trims active ones")
    void thenActive() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(7, group("a"), group("b")), targets(5, 1, 5, 0));

        assertThat(capped.targets()).containsExactly(Map.entry("a", new GroupTarget(4, 0)),
                Map.entry("b", new GroupTarget(3, 0)));
        assertThat(capped.endpointNote()).isEqualTo("max_workers 7: 1 fewer cold, 3 fewer active");
    }

    @Test
    @DisplayName("huge counts are trimmed in a few steps")
    void hugeCounts() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(20, group("a"), group("b")),
                targets(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0));

        assertThat(capped.targets()).containsExactly(Map.entry("a", new GroupTarget(10, 0)),
                Map.entry("b", new GroupTarget(10, 0)));
    }

    @Test
    @DisplayName("a group's own cap trims its cold first, then its active, before the endpoint's cap")
    void groupCapsFirst() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(100,
                        WorkerGroupConfig.builder("a").maxWorkers(2).build(),
                        WorkerGroupConfig.builder("b").maxWorkers(3).build(), group("c")),
                targets(1, 4, 5, 2, 3, 9));

        assertThat(capped.targets()).containsExactly(Map.entry("a", new GroupTarget(1, 1)),
                Map.entry("b", new GroupTarget(3, 0)), Map.entry("c", new GroupTarget(3, 9)));
        assertThat(capped.note()).isEqualTo("group max_workers: a 2, b 3");
    }

    @Test
    @DisplayName("a capped primary's wish does not crowd the overflow group out")
    void cappedPrimaryLeavesRoomToOverflow() {
        WorkerCaps.Capped capped = WorkerCaps.apply(endpoint(5,
                        WorkerGroupConfig.builder("a").maxWorkers(1).build(),
                        WorkerGroupConfig.builder("b").overflow(true).build()),
                targets(8, 0, 4, 0));

        assertThat(capped.targets()).containsExactly(Map.entry("a", new GroupTarget(1, 0)),
                Map.entry("b", new GroupTarget(4, 0)));
    }

    @Test
    @DisplayName("targets of groups the endpoint does not have are dropped")
    void unknownGroupsDropped() {
        Map<String, GroupTarget> targets = new LinkedHashMap<>(targets(1, 0));
        targets.put("gone", new GroupTarget(50, 0));

        assertThat(WorkerCaps.apply(endpoint(4, group("a")), targets).targets()).containsOnlyKeys("a");
    }

    private static WorkerGroupConfig group(String name) {
        return WorkerGroupConfig.builder(name).build();
    }

    private static EndpointConfig endpoint(int maxWorkers, WorkerGroupConfig... groups) {
        return EndpointConfig.builder("ep").maxWorkers(maxWorkers).coldWorkers(0).groups(List.of(groups)).build();
    }

    /** Targets for groups a, b, c, ... as (active, cold) pairs. */
    private static Map<String, GroupTarget> targets(int... pairs) {
        Map<String, GroupTarget> targets = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of("a", "b", "c", "d"));
        for (int i = 0; i < pairs.length; i += 2) {
            targets.put(names.get(i / 2), new GroupTarget(pairs[i], pairs[i + 1]));
        }
        return targets;
    }
}
