package dev.autoscaler.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoscaler.GroupTarget;
import dev.autoscaler.WorkerState;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Workers loading for the cold pool are the pool's, not active capacity (issue: the ratchet to max_workers). */
class VastPoolRatchetTest {
    private final VastScalingPolicy policy = VastScalingPolicy.ofDefaults();

    @Test
    @DisplayName("a queue with nothing ready does not take workers loading for the pool as the active floor")
    void loadingForPoolIsNotActive() {
        // one worker loads to serve, five load for the pool, the queue is past target: before the fix
        // the trigger's "never fewer than now" read 6 active, and every decision rented more
        GroupTarget target = policy.decide(SnapshotFixture.endpoint().config(c -> c.coldWorkers(6))
                .group("main", 1000).workers(WorkerState.LOADING, 1).loadingForPool(5)
                .rate(500).waiting(2000, 4).queueTime(30).build()).targets().get("main");
        assertThat(target.active()).isLessThanOrEqualTo(3);
        assertThat(target.total()).isEqualTo(6);
    }

    @Test
    @DisplayName("decision after decision, the same snapshot asks for the same active count")
    void noRatchetOverDecisions() {
        SnapshotFixture fixture = SnapshotFixture.endpoint().config(c -> c.coldWorkers(5))
                .group("main", 1000).workers(WorkerState.LOADING, 2).loadingForPool(5)
                .rate(500).waiting(2000, 4).queueTime(30);
        int first = policy.decide(fixture.build()).targets().get("main").active();
        int second = policy.decide(fixture.build()).targets().get("main").active();
        assertThat(second).isEqualTo(first).isLessThanOrEqualTo(3);
    }
}
