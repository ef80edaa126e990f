package dev.autoscaler.core.policy;

import static dev.autoscaler.WorkerState.READY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.EndpointSnapshot;
import dev.autoscaler.GroupTarget;
import dev.autoscaler.ScalingDecision;
import dev.autoscaler.Settings;
import dev.autoscaler.WorkerGroupConfig;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("vast policy: an overflow group scales on spill-over alone")
class OverflowGroupPolicyTest {
    private final VastScalingPolicy policy = VastScalingPolicy.ofDefaults();

    private static WorkerGroupConfig overflow(int coldWorkers) {
        return WorkerGroupConfig.builder("spill").overflow(true).coldWorkers(coldWorkers).build();
    }

    @Test
    @DisplayName("spill-over sizes the group: ceil(spill / target_util / perf)")
    void sizedBySpillOver() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(10_000)
                .group(overflow(0), 500).spill(1800, 900)
                .build());

        // max(1,800, 900) / 0.9 / 500 = 4
        assertThat(decision.targets().get("spill")).isEqualTo(new GroupTarget(4, 0));
        assertThat(decision.reason()).contains("group spill: overflow group, spill-over 1,800/s / target_util 0.9"
                + " at 500/s per worker -> 4 active");
    }

    @Test
    @DisplayName("the endpoint's arrival rate alone does not size it: the primary group takes the forecast")
    void forecastGoesToPrimaries() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(3600).config(c -> c.coldMult(1))
                .group(overflow(0), 1000)
                .build());

        assertThat(decision.targets()).containsOnly(
                Map.entry("main", new GroupTarget(4, 0)), Map.entry("spill", new GroupTarget(0, 0)));
    }

    @Test
    @DisplayName("no spill-over: only the cold floor is kept")
    void floorWhenNone() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(3600)
                .group(overflow(2), 1000).spill(0, 0)
                .build());

        assertThat(decision.targets().get("spill")).isEqualTo(new GroupTarget(0, 2));
    }

    @Test
    @DisplayName("when spill-over stops the group steps down to its floor, one scale_down_step per decision")
    void shrinksToFloorWhenSpillStops() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(1000)
                .group(overflow(1), 1000).workers(READY, 4).spill(0, 0)
                .build());

        assertThat(decision.targets().get("spill")).isEqualTo(new GroupTarget(2, 0));
    }

    @Test
    @DisplayName("the long window holds it after a spike, as the forecast holds primaries")
    void longWindowHolds() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(1000)
                .group(overflow(0), 1000).workers(READY, 2).spill(0, 1700)
                .build());

        assertThat(decision.targets().get("spill").active()).isEqualTo(2);
    }

    @Test
    @DisplayName("forecast_window=short lets it go once the short window is empty")
    void shortWindowLetsGo() {
        VastScalingPolicy shortWindow = VastScalingPolicy.fromParams(
                Settings.of("policy_params", Map.of(VastScalingPolicy.FORECAST_WINDOW, "short")));

        ScalingDecision decision = shortWindow.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(1000)
                .group(overflow(0), 1000).workers(READY, 2).spill(0, 1700)
                .build());

        assertThat(decision.targets().get("spill").active()).isEqualTo(1);
    }

    @Test
    @DisplayName("perf unknown: spill-over bootstraps one worker")
    void unknownPerfBootstrapsOne() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(1000)
                .group(overflow(0), 0).spill(5000, 5000)
                .build());

        assertThat(decision.targets().get("spill").active()).isEqualTo(1);
    }

    @Test
    @DisplayName("stale metrics hold its active workers even without spill-over")
    void staleHolds() {
        ScalingDecision decision = policy.decide(SnapshotFixture.endpoint()
                .group("main", 1000).rate(1000)
                .group(overflow(0), 1000).workers(READY, 3)
                .stale().build());

        assertThat(decision.targets().get("spill").active()).isEqualTo(3);
    }

    @Test
    @DisplayName("max_workers trims the overflow group before the primary one")
    void capTrimsOverflowFirst() {
        EndpointSnapshot snapshot = SnapshotFixture.endpoint()
                .config(c -> c.maxWorkers(5).coldMult(1))
                .group("main", 1000).rate(3600)
                .group(overflow(0), 1000).spill(3600, 3600)
                .build();
        ScalingDecision decision = policy.decide(snapshot).capped(snapshot.config());

        assertThat(decision.targets()).containsOnly(
                Map.entry("main", new GroupTarget(4, 0)), Map.entry("spill", new GroupTarget(1, 0)));
    }

    @Test
    @DisplayName("a primary group's own max_workers applies first: its capped wish leaves the room to the overflow group")
    void groupCapBeforeEndpointCap() {
        EndpointSnapshot snapshot = SnapshotFixture.endpoint()
                .config(c -> c.maxWorkers(5).coldMult(1))
                .group(WorkerGroupConfig.builder("main").maxWorkers(1).build(), 1000).rate(3600)
                .group(overflow(0), 1000).spill(3600, 3600)
                .build();
        ScalingDecision decision = policy.decide(snapshot).capped(snapshot.config());

        assertThat(decision.targets()).containsOnly(
                Map.entry("main", new GroupTarget(1, 0)), Map.entry("spill", new GroupTarget(4, 0)));
        assertThat(decision.reason()).contains("group max_workers: main 1").doesNotContain("max_workers 5:");
    }
}
