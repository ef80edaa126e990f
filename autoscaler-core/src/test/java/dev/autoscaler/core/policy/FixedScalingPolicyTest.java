package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.InvalidConfigException;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerState;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("fixed policy")
class FixedScalingPolicyTest {

    private static FixedScalingPolicy fixed(Map<String, String> params) {
        return FixedScalingPolicy.fromParams(Settings.of("policy_params", params));
    }

    private static SnapshotFixture twoGroups() {
        return SnapshotFixture.endpoint().group("a", 1000).group("b", 1000);
    }

    @Test
    @DisplayName("by default one active and no cold worker per group")
    void defaults() {
        ScalingDecision decision = fixed(Map.of()).decide(twoGroups().build());

        assertThat(decision.targets()).containsOnly(
                Map.entry("a", new GroupTarget(1, 0)), Map.entry("b", new GroupTarget(1, 0)));
    }

    @Test
    @DisplayName("ignores the load")
    void ignoresLoad() {
        ScalingDecision decision = fixed(Map.of("active", "2", "cold", "3"))
                .decide(SnapshotFixture.endpoint().group("main", 1000).workers(WorkerState.READY, 9)
                        .rate(1_000_000).queueTime(100).build());

        assertThat(decision.targets()).containsOnly(Map.entry("main", new GroupTarget(2, 3)));
    }

    @Test
    @DisplayName("max_workers trims cold workers first")
    void capTrimsColdFirst() {
        ScalingDecision decision = fixed(Map.of("active", "8", "cold", "4")).decide(twoGroups().build())
                .capped(twoGroups().build().config());

        assertThat(decision.targets()).containsOnly(
                Map.entry("a", new GroupTarget(8, 2)), Map.entry("b", new GroupTarget(8, 2)));
        assertThat(decision.reason()).isEqualTo("fixed: 8 active, 4 cold per group; max_workers 20: 4 fewer cold");
    }

    @Test
    @DisplayName("a group's own max_workers holds it, cold trimmed first, and is named in the reason")
    void groupCap() {
        EndpointSnapshot snapshot = SnapshotFixture.endpoint()
                .group(dev.autoscaler.WorkerGroupConfig.builder("canary").maxWorkers(3).build(), 1000)
                .group("main", 1000).build();
        ScalingDecision decision = fixed(Map.of("active", "2", "cold", "3")).decide(snapshot).capped(snapshot.config());

        assertThat(decision.targets()).containsOnly(
                Map.entry("canary", new GroupTarget(2, 1)), Map.entry("main", new GroupTarget(2, 3)));
        assertThat(decision.reason()).isEqualTo("fixed: 2 active, 3 cold per group; group max_workers: canary 3");
    }

    @Test
    @DisplayName("then active ones")
    void capTrimsActive() {
        ScalingDecision decision = fixed(Map.of("active", "8", "cold", "4"))
                .decide(twoGroups().config(c -> c.maxWorkers(9)).build())
                .capped(twoGroups().config(c -> c.maxWorkers(9)).build().config());

        assertThat(decision.targets().values()).extracting(GroupTarget::cold).containsOnly(0);
        assertThat(decision.targets().values().stream().mapToInt(GroupTarget::active).sum()).isEqualTo(9);
    }

    @Test
    @DisplayName("a negative count is named")
    void negative() {
        assertThatThrownBy(() -> fixed(Map.of("cold", "-1")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("policy_params.cold: must be >= 0, got -1");
    }

    @Test
    @DisplayName("a count that is not a whole number is named")
    void notANumber() {
        assertThatThrownBy(() -> fixed(Map.of("active", "two")))
                .isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field())
                .isEqualTo("policy_params.active");
    }

    @Test
    @DisplayName("an unknown parameter is named")
    void unknown() {
        assertThatThrownBy(() -> fixed(Map.of("actve", "2")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("policy_params.actve: is not a parameter of the fixed policy; known: active, cold");
    }
}
